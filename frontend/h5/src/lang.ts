// One language at a time on the H5 page. Every text is in the DOM in both
// languages (.wk-zh and .wk-en elements) and the stylesheet hides the one
// not chosen, so switching needs no re-render of findings or traces. The
// default follows navigator.language; the toggle's choice is kept in
// localStorage.
export type Lang = "zh" | "en";
const storeKey = "wwkit.h5.lang";

/** initialLang: the stored choice, else Chinese when navigator.language is zh*, else English. */
export function initialLang(stored: string | null, navLang: string | undefined): Lang {
  if (stored === "zh" || stored === "en") return stored;
  return (navLang ?? "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** setLang shows lang on doc (and remembers it when remember is set). */
export function setLang(doc: Document, lang: Lang, remember = false): void {
  doc.documentElement.dataset.lang = lang;
  doc.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  const btn = doc.getElementById("lang");
  // The toggle names the other language, in that language.
  if (btn) btn.textContent = lang === "zh" ? "English" : "中文";
  if (remember) {
    try {
      localStorage.setItem(storeKey, lang);
    } catch {
      /* private mode: the choice lasts this page */
    }
  }
}

/** startLang applies the initial language and wires the toggle. */
export function startLang(doc: Document): Lang {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(storeKey);
  } catch {
    /* no storage */
  }
  const lang = initialLang(stored, typeof navigator === "undefined" ? undefined : navigator.language);
  setLang(doc, lang);
  doc.getElementById("lang")?.addEventListener("click", () => {
    setLang(doc, doc.documentElement.dataset.lang === "zh" ? "en" : "zh", true);
  });
  return lang;
}

/** bi is a text in both languages: two spans, of which the page shows one. */
export function bi(doc: Document, zh: string, en: string): DocumentFragment {
  const f = doc.createDocumentFragment();
  const a = doc.createElement("span");
  a.className = "wk-zh";
  a.textContent = zh;
  const b = doc.createElement("span");
  b.className = "wk-en";
  b.textContent = en;
  f.append(a, b);
  return f;
}

/** setBi replaces the content of el by bi(zh, en). */
export function setBi(el: HTMLElement, zh: string, en: string): void {
  el.replaceChildren(bi(el.ownerDocument, zh, en));
}
