import { describe, expect, it } from "vitest";
import codes from "../src/problems.gen.json";
import { describeError, errorLine, problemZh } from "../src/problems";
import { englishSentence } from "../src/english";

describe("tool errors in Chinese", () => {
  it("lists the Go codes (problems.gen.json is generated, not empty)", () => {
    expect(codes.length).toBeGreaterThan(80);
  });

  for (const { code, en } of codes) {
    it(`${code} has Chinese text without an English sentence`, () => {
      const zh = problemZh[code];
      expect(zh, `no Chinese text for ${code} (add it to desktop/src/problems.ts)`).toBeTruthy();
      expect(englishSentence(zh), `untranslated English in ${code}: ${zh}`).toBeNull();
      // Every parameter the Chinese names is one Go fills in.
      for (const m of zh.matchAll(/\{(\w+)\}/g)) expect(en).toContain(`{${m[1]}}`);
    });
  }

  it("renders a code with its parameters, without the Go prefix", () => {
    const dto = { code: "msg.newsCount", params: { n: "9" }, message: "a news message has 1 to 8 articles, not 9" };
    expect(errorLine(dto, "zh")).toBe("图文消息需要 1 到 8 篇图文，当前为 9 篇。");
    expect(errorLine(dto, "en")).toBe("a news message has 1 to 8 articles, not 9");
    expect(describeError({ code: "msg.mediaOne", params: { kind: "voice" }, message: "x" }, "zh").text).toContain("语音");
  });

  it("renders a profile's problems (ProfileDTO.problems) in Chinese", () => {
    const problems = [
      { code: "profile.renamed", params: { name: "toml-wecom", taken: "wecom" }, message: "listed as toml-wecom: the name wecom is taken by the emulator's profile" },
      { code: "profile.missingEnv", params: { path: "/p/wwkit.toml", table: "wecom", env: "NOPE_UNSET" }, message: "/p/wwkit.toml [profiles.wecom] names $NOPE_UNSET, which is empty; export it" },
    ];
    const zh = problems.map((p) => errorLine(p, "zh"));
    expect(zh[0]).toBe("已改名为 toml-wecom 显示：名称 wecom 已被模拟器的配置占用。");
    expect(zh[1]).toContain("$NOPE_UNSET");
    for (const line of zh) expect(englishSentence(line), line).toBeNull();
  });

  it("keeps a cause apart and marks an unknown code as internal", () => {
    const d = describeError({ code: "no.such", params: {}, message: "something broke" }, "zh");
    expect(d.text).toBe(problemZh.internal);
    expect(d.cause).toBe("something broke");
    expect(describeError("desktop: plain text", "en").text).toBe("plain text");
  });
});

describe("englishSentence", () => {
  it("finds sentences and lets names, codes and short terms pass", () => {
    expect(englishSentence("no recipient; set toUser")).not.toBeNull();
    expect(englishSentence("the app is not started")).not.toBeNull();
    expect(englishSentence("没有接收者：请填写成员（如 userid 或 @all）")).toBeNull();
    expect(englishSentence("请用 wwkit desktop 打开；redis://主机:端口/库号")).toBeNull();
    expect(englishSentence("Markdown 消息内容为空")).toBeNull();
  });
});
