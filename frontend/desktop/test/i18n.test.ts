import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { en, zh, i18n, initialLocale, setLocale, useSharedLanguage, type LanguageSettings } from "../src/i18n";
import { pages, shortcutList } from "../src/logic";

type Tree = { [k: string]: string | Tree };

function keys(t: Tree, prefix = ""): string[] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === "string" ? [prefix + k] : keys(v, `${prefix}${k}.`)));
}
function get(t: Tree, path: string): string | Tree | undefined {
  return path.split(".").reduce<string | Tree | undefined>((n, k) => (n && typeof n === "object" ? n[k] : undefined), t);
}
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|vue)$/.test(p) ? [p] : [];
  });
}
const src = join(__dirname, "..", "src");

describe("i18n", () => {
  it("has the same keys in English and Chinese, none empty", () => {
    const e = keys(en as Tree).sort();
    const z = keys(zh as Tree).sort();
    expect(z).toEqual(e);
    expect(e.length).toBeGreaterThan(100);
    for (const k of e) {
      expect(get(en as Tree, k), `en ${k}`).not.toBe("");
      expect(get(zh as Tree, k), `zh ${k}`).not.toBe("");
    }
  });

  it("uses the same {placeholders} in both languages", () => {
    for (const k of keys(en as Tree)) {
      const ph = (s: unknown) => [...String(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(ph(get(zh as Tree, k)), k).toEqual(ph(get(en as Tree, k)));
    }
  });

  it("has every key the sources use", () => {
    const used = new Set<string>();
    for (const f of sources(src)) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(/\bt\(\s*["'`]([\w.]+)["'`]/g)) used.add(m[1]);
    }
    for (const p of pages) used.add(`nav.${p}`);
    for (const s of shortcutList(false)) used.add(s.label);
    for (const f of ["secret", "token", "encodingAESKey"]) used.add(`overview.field.${f}`);
    expect(used.size).toBeGreaterThan(80);
    const missing = [...used].filter((k) => typeof get(en as Tree, k) !== "string");
    expect(missing).toEqual([]);
  });

  it("keeps vue-i18n's special characters out of the texts", () => {
    // "@" starts a linked message and "|" separates plurals in vue-i18n.
    for (const k of keys(en as Tree)) {
      expect(String(get(en as Tree, k)), k).not.toMatch(/[@|]/);
      expect(String(get(zh as Tree, k)), k).not.toMatch(/[@|]/);
    }
  });

  it("defaults from navigator.language unless the user chose", () => {
    expect(initialLocale(null, "zh-CN")).toBe("zh");
    expect(initialLocale(null, "zh-TW")).toBe("zh");
    expect(initialLocale(null, "en-US")).toBe("en");
    expect(initialLocale(null, "de")).toBe("en");
    expect(initialLocale(null, undefined)).toBe("en");
    expect(initialLocale("en", "zh-CN")).toBe("en");
    expect(initialLocale("zh", "en-US")).toBe("zh");
    expect(initialLocale("fr", "en-US")).toBe("en");
  });

  it("shares the language with the tray through the Go settings", async () => {
    const saves: string[] = [];
    const fake = (lang: string, saved: boolean): LanguageSettings => ({
      Language: async () => ({ lang, saved }),
      SetLanguage: async (l: string) => {
        saves.push(l);
      },
    });
    // the tray saved zh: the window shows zh, whatever this page stored
    localStorage.setItem("wwkit.lang", "en");
    await useSharedLanguage(fake("zh", true));
    expect(i18n.global.locale.value).toBe("zh");
    expect(saves).toEqual([]);
    // nothing saved yet, but the page had a choice: it is kept and shared
    localStorage.setItem("wwkit.lang", "en");
    await useSharedLanguage(fake("zh", false));
    expect(saves).toEqual(["en"]);
    // nothing saved anywhere: the system language (from Go) is shown
    localStorage.removeItem("wwkit.lang");
    await useSharedLanguage(fake("zh", false));
    expect(i18n.global.locale.value).toBe("zh");
    // a choice in the window is saved for the tray
    setLocale("en");
    expect(saves).toEqual(["en", "en"]);
    expect(i18n.global.locale.value).toBe("en");
  });
});
