// The typed access to the Go services the Wails window binds
// (window.go.desktop.NAME.Method) and to its events (window.runtime).
//
// The types come from bindings.gen.ts, written from the Go services by
// `go test ./frontend -run TestDesktopBindings -update`; that test fails when
// a Go DTO or method changes and the file is not regenerated, and another
// test checks that every service method called through svc() in these
// sources is bound.
// This replaces `wails generate module` so neither the build nor CI needs the
// Wails CLI.
import type { Services } from "./bindings.gen";
import { i18n } from "./i18n";
import { errorLine } from "./problems";

export type * from "./bindings.gen";

interface WailsWindow {
  go?: { desktop?: Partial<Services> };
  runtime?: {
    EventsOn(name: string, cb: (...data: unknown[]) => void): () => void;
    BrowserOpenURL?(url: string): void;
    ClipboardSetText?(text: string): Promise<boolean>;
  };
}

function w(): WailsWindow {
  return window as unknown as WailsWindow;
}

/** NotInWindowError: the page runs outside the wwkit window (no bindings). */
export class NotInWindowError extends Error {
  constructor(service: string) {
    super(
      `the Go service ${service} is not bound: this page runs outside the wwkit window ` +
        `(open it with \`wwkit desktop\`, or a dev build's devserver URL)`,
    );
    this.name = "NotInWindowError";
  }
}

/** svc returns a bound Go service; calling it outside the window throws. */
export function svc<K extends keyof Services>(name: K): Services[K] {
  const s = w().go?.desktop?.[name];
  if (!s) throw new NotInWindowError(name);
  return s as Services[K];
}

/** inWindow: whether the Go services are reachable. */
export function inWindow(): boolean {
  return !!w().go?.desktop?.ProfileService;
}

/** onEvent subscribes to a Wails event; the result unsubscribes. */
export function onEvent<T>(name: string, cb: (data: T) => void): () => void {
  const rt = w().runtime;
  if (!rt?.EventsOn) return () => {};
  return rt.EventsOn(name, (d) => cb(d as T));
}

/**
 * toolError turns a rejected bound call into a message in the UI's language
 * (see problems.ts: Wails rejects with an ErrorDTO, a code and parameters).
 */
export function toolError(e: unknown): string {
  return errorLine(e, String(i18n.global.locale.value));
}

/** copyText copies to the clipboard (the window's clipboard when bound). */
export async function copyText(text: string): Promise<boolean> {
  const rt = w().runtime;
  if (rt?.ClipboardSetText) {
    try {
      if (await rt.ClipboardSetText(text)) return true;
    } catch {
      /* fall through to the browser clipboard */
    }
  }
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
