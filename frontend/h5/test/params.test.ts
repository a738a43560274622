import { describe, expect, it } from "vitest";
import { jsApiListFor, parsePageParams, PANEL_APIS, SIDEBAR_APIS } from "../src/params";

describe("page parameters from the desktop QR codes", () => {
  it("reads apis= as extra JS-API names, in order, without duplicates", () => {
    const p = parsePageParams("?profile=wecom&apis=getContext,%20shareAppMessage,getContext,,");
    expect(p.apis).toEqual(["getContext", "shareAppMessage"]);
    expect(p.rejected).toEqual([]);
  });
  it("sets aside what is not a JS-API name", () => {
    const p = parsePageParams("?apis=getContext,<script>,a b");
    expect(p.apis).toEqual(["getContext"]);
    expect(p.rejected).toEqual(["<script>", "a b"]);
  });
  it("reads vconsole=1/0 and leaves it to the remembered choice otherwise", () => {
    expect(parsePageParams("?vconsole=1").vconsole).toBe(true);
    expect(parsePageParams("?vconsole=0").vconsole).toBe(false);
    expect(parsePageParams("?vconsole=maybe").vconsole).toBeNull();
    expect(parsePageParams("").vconsole).toBeNull();
  });
  it("adds the extra APIs to the platform's jsApiList once", () => {
    expect(jsApiListFor("wecom", ["getContext", "chooseImage"])).toEqual([...PANEL_APIS, "openEnterpriseChat", ...SIDEBAR_APIS, "getContext"]);
    expect(jsApiListFor("mp", [])).toEqual(PANEL_APIS);
  });
});
