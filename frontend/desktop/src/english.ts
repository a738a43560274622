// englishSentence finds an untranslated English sentence in text meant to be
// Chinese: four or more English words in a row that include a function word
// ("the", "is", "not", "use", …). Names, codes, formulas such as
// "sha1(sort(token, timestamp, nonce))" and short terms such as
// "wwkit desktop" pass. The unit tests and the desktop e2e use it; null when
// there is none.
const run = /\b[A-Za-z][A-Za-z']+(?:[ ,;:]+[A-Za-z][A-Za-z']*){3,}/g;
const functionWords = new Set(
  "the a an is are not to of and or use set no in for with was does has have be it this from on at by can cannot".split(" "),
);

export function englishSentence(text: string): string | null {
  for (const m of text.matchAll(run)) {
    if (m[0].toLowerCase().split(/[ ,;:]+/).some((w) => functionWords.has(w))) return m[0];
  }
  return null;
}
