// The hand-off from the inbox's Rejected view to the workbench's callback
// checker: the refused request's URL and profile, prefilled. The server
// keeps no body (it may be someone's ciphertext), so the developer pastes
// the captured one.
import { shallowRef } from "vue";
import type { DoctorRequest, OpeningDTO } from "./api";
import { state } from "./store";

export const checkerPrefill = shallowRef<DoctorRequest | null>(null);

/** openInChecker switches to the workbench with req in the callback checker. */
export function openInChecker(req: DoctorRequest): void {
  checkerPrefill.value = { ...req };
  state.page = "workbench";
}

/**
 * applyOpening asks the Go side once, after start, what to show first: the
 * tray's rejected line starts the inspector with --open checker:ID, and the
 * window opens the callback checker prefilled with that refusal.
 */
export async function applyOpening(inbox: { Opening(): Promise<OpeningDTO> }): Promise<void> {
  const o = await inbox.Opening();
  if (o.page === "workbench" && o.checker) openInChecker(o.checker);
}

/** takePrefill returns the pending prefill once. */
export function takePrefill(): DoctorRequest | null {
  const p = checkerPrefill.value;
  checkerPrefill.value = null;
  return p;
}

/** verdictKey is the i18n key of a doctor's verdict ("" for an unknown one, shown as is). */
export const verdicts = [
  "token", "aeskey", "receiveid", "wrong-field", "url-decoding", "altered", "base64", "envelope", "no-signature", "config",
  "clock", "missing-params", "unsafe-xml", "too-large", "not-a-message", "unknown-profile", "lan-peer",
] as const;

export function verdictKey(v: string): string {
  return (verdicts as readonly string[]).includes(v) ? `verdict.${v.replace(/-(\w)/g, (_, c: string) => c.toUpperCase())}` : "";
}
