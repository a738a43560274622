import { mount } from "@vue/test-utils";
import { describe, expect, it } from "vitest";
import type { RobotKeyDTO, RobotRequest, RobotSendDTO } from "../src/api";
import { i18n } from "../src/i18n";
import { NSelect } from "naive-ui";

window.matchMedia ??= ((q: string) => ({
  matches: false, media: q, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false,
})) as unknown as typeof window.matchMedia;
const { default: RobotSender } = await import("../src/components/RobotSender.vue");

const key = "693a91f6-7c1e-4bc4-97a0-0ec2b1fa5aaa";
const tick = () => new Promise((r) => setTimeout(r, 0));

// mountWithKey mounts the sender for profile wecom and saves the webhook key.
async function mountWithKey() {
  const w = mount(RobotSender, { props: { profile: "wecom" }, global: { plugins: [i18n] } });
  await tick();
  await w.get('[data-test="robot-key"] input').setValue(key);
  await w.get('[data-test="robot-key-save"]').trigger("click");
  await tick();
  return w;
}

/** A fake MessageService that keeps the key on the "Go side" only. */
function bind(answer: RobotSendDTO) {
  let stored = "";
  const sent: RobotRequest[] = [];
  const dto = (): RobotKeyDTO => ({ profile: "wecom", source: stored ? "stored" : "", store: stored ? "file" : "" });
  (window as unknown as { go: unknown }).go = {
    desktop: {
      MessageService: {
        RobotKey: async () => dto(),
        SetRobotKey: async (_p: string, k: string) => { stored = k; return dto(); },
        ForgetRobotKey: async () => { stored = ""; return dto(); },
        SendRobot: async (r: RobotRequest) => { sent.push(r); return answer; },
      },
    },
  };
  return { sent, stored: () => stored };
}

describe("robot webhook sender", () => {
  it("keeps the key out of the window once saved, then shows the errcode in Chinese", async () => {
    const fake = bind({
      ok: false, target: "emulator", exchanges: [],
      error: { errcode: 93000, errmsg: "invalid webhook url", explanation: "", meaningZh: "机器人webhook地址不合法或机器人已被移出群", checkZh: "在群机器人设置中重新复制Webhook地址" },
    });
    i18n.global.locale.value = "zh";
    const w = mount(RobotSender, { props: { profile: "wecom" }, global: { plugins: [i18n] } });
    await tick();
    expect(w.get('[data-test="robot-key-state"]').text()).toContain("尚未填写 key");
    expect(w.get('[data-test="robot-send"]').attributes("disabled")).toBeDefined();
    await w.get('[data-test="robot-key"] input').setValue(key);
    await w.get('[data-test="robot-key-save"]').trigger("click");
    await tick();
    expect(fake.stored()).toBe(key);
    expect(w.get('[data-test="robot-key-state"]').text()).toContain("已保存 key");
    // The input is cleared: the key is nowhere in the page any more.
    expect(w.html()).not.toContain(key.slice(0, 8));
    expect((w.get('[data-test="robot-key"] input').element as HTMLInputElement).value).toBe("");

    await w.get('[data-test="robot-content"] textarea').setValue("发布完成");
    await w.get('[data-test="robot-send"]').trigger("click");
    await tick();
    await w.vm.$nextTick();
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ profile: "wecom", msgType: "text", content: "发布完成", articles: [] });
    expect(JSON.stringify(fake.sent[0])).not.toContain(key);
    expect(w.get('[data-test="robot-errcode"]').text()).toContain("93000 机器人webhook地址不合法或机器人已被移出群；在群机器人设置中重新复制Webhook地址");
    w.unmount();
  }, 30_000); // mounting naive-ui takes seconds on a loaded machine

  it("offers markdown_v2 and sends its content", async () => {
    const fake = bind({ ok: true, target: "emulator", exchanges: [] });
    i18n.global.locale.value = "en";
    const w = await mountWithKey();
    const sel = w.findAllComponents(NSelect).find((c) => c.attributes("data-test") === "robot-type");
    expect(sel).toBeDefined();
    const options = (sel!.props("options") as { value: string }[]).map((o) => o.value);
    expect(options).toContain("markdown_v2");
    sel!.vm.$emit("update:value", "markdown_v2");
    await w.vm.$nextTick();
    const table = "| 服务 | 状态 |\n| :-- | :-- |\n| api | 正常 |";
    await w.get('[data-test="robot-content"] textarea').setValue(table);
    await w.get('[data-test="robot-send"]').trigger("click");
    await tick();
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ msgType: "markdown_v2", content: table });
    w.unmount();
  }, 30_000);

  it("says where a successful post went", async () => {
    bind({ ok: true, target: "emulator", exchanges: [{ method: "POST", path: "/wecom/cgi-bin/webhook/send", status: 200, request: "{}", response: "{\"errcode\":0}" }] });
    i18n.global.locale.value = "en";
    const w = await mountWithKey();
    await w.get('[data-test="robot-content"] textarea').setValue("hi");
    await w.get('[data-test="robot-send"]').trigger("click");
    await tick();
    await w.vm.$nextTick();
    expect(w.get('[data-test="robot-ok"]').text()).toContain("Sent · to emulator");
    w.unmount();
  }, 30_000);
});
