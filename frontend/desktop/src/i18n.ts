// UI text in English and Chinese (vue-i18n). The default follows
// navigator.language; the choice made with the header's toggle (or Ctrl+L)
// is kept in localStorage. A unit test checks both languages have the same
// keys and that every t("…") key used in the sources exists.
import { createI18n } from "vue-i18n";

export const en = {
  nav: { overview: "Profiles", tokens: "Tokens", qr: "QR codes", messages: "Messages", inbox: "Inbox", workbench: "Workbench", contacts: "Contacts" },
  contacts: {
    title: "Directory of {name}", departments: "Departments", tags: "Tags", members: "Members", member: "Member",
    reload: "Reload", recursive: "Include sub-departments", detail: "With details (user/list)",
    pickDept: "Pick a department to list its members.", pickMember: "Pick a member to see their fields.",
    noMembers: "No members here.", noTags: "No tags.", tagMembers: "Members of tag {name}", tagDepts: "Tagged departments: {ids}",
    wecomOnly: "The directory (通讯录) belongs to WeCom; switch to a WeCom profile.",
    note: "Reads through the profile's API client: the emulator's directory, or a real corp's as far as the app's visible range (可见范围) allows. Since 2022 WeCom leaves mobile, email and avatar out for most apps: an empty field is what the API returned.",
    lookup: "Look up userid", lookupButton: "Read",
    status: { active: "active", disabled: "disabled", inactive: "not activated", exited: "exited", unknown: "—" },
    gender: { male: "male", female: "female", unknown: "not given" },
    field: {
      userId: "userid", name: "Name", position: "Position", mobile: "Mobile", email: "Email", bizMail: "Biz mail",
      telephone: "Telephone", alias: "Alias", address: "Address", openUserId: "open_userid",
      departments: "Departments", status: "Status", gender: "Gender",
    },
  },
  platform: { wecom: "WeCom", mp: "Official Account" },
  header: { profile: "Profile", noProfile: "no profile", emulated: "emulator", inbox: "Inbox: {n}" },
  help: {
    button: "Shortcuts", title: "Keyboard shortcuts", refreshTokens: "Refresh the tokens",
    focusFilter: "Filter the inbox", toggleLang: "中文 / English", help: "This help",
  },
  error: {
    notInWindowTitle: "Not connected to wwkit",
    notInWindow: "This page runs outside the wwkit window, so the Go services are not reachable. Start it with `wwkit desktop`.",
    tool: "wwkit failed (this is a tool error, not an API errcode)",
    errcode: "The API answered with an errcode",
  },
  common: { copy: "Copy", copied: "Copied", copyFailed: "Could not copy to the clipboard" },
  overview: {
    empty: "No profiles. Start the desktop app on the emulator or add a profile to wwkit.toml.",
    active: "Active profile: {name}",
    field: { secret: "Secret", token: "Callback Token", encodingAESKey: "EncodingAESKey" },
    reveal: "Reveal", hide: "Hide", callbackUrl: "Callback URL", apiBase: "API base URL", official: "Tencent (official)",
    trusted: "Trusted domains",
    maskedNote: "Secrets are masked everywhere; Reveal asks the app for one value, on this click only.",
    all: "All profiles", isActive: "active", use: "Use",
    scan: "H5 page", scanNote: "Scan in WeCom or WeChat to open the debug page. More options on the QR codes page.",
    stores: "Stored in", storesValue: "profile: {source} · secrets: {secrets} · tokens: {tokens}",
  },
  manage: {
    title: "Manage profiles", open: "Show", close: "Hide", add: "New profile", editing: "Edit {name}", edit: "Edit", delete: "Delete",
    confirmDelete: "Delete the profile {name} and its stored secrets?", name: "Name", platform: "Platform",
    keep: "empty: keep the stored value", store: "Token cache", reply: "Passive reply", update: "Save", addButton: "Add", cancel: "Cancel",
    saved: "Profile {name} saved", export: "Export", import: "Import",
    exportNote: "Exports carry no secret: enter secrets after importing.",
    importHint: "Paste an export (JSON or TOML) or a wwkit.toml",
    imported: "Imported: {names}", needSecrets: "Enter the secrets of: {names} (Edit)",
    test: "Test connection", testOk: "Connected: got an access_token (fingerprint {fp})",
  },
  tokens: {
    title: "Tokens of {name}", fetch: "Fetch", refresh: "Refresh", invalidate: "Invalidate",
    kind: "Kind", value: "Value (masked)", left: "Time left", obtainedAt: "Obtained at", source: "Source", lastError: "Last error",
    fingerprint: "Fingerprint", notFetched: "not fetched yet", expired: "expired", failure: "failed",
    note: "Fetch uses the cache while a value is valid; Refresh drops the access_token and fetches all again; Invalidate only drops it (as a client does after 40014/42001).",
    calls: "Recent API calls", noCalls: "No API calls yet. Fetch a token or send a message.",
    time: "Time", call: "Call", latency: "Latency", waiting: "waiting for the access_token",
  },
  qr: {
    title: "H5 debug page on a phone", apis: "APIs to test", apisHint: "e.g. chooseImage (type any name)",
    oauth: "Sign in with OAuth first", size: "Size (px)", level: "Error correction", generate: "Generate",
    note: "Scan it in WeCom or WeChat. The URL uses the dev server's public address (set --public-url for a tunnel).",
    result: "QR code", empty: "Generate a QR code to see it here.", copy: "Copy URL", save: "Save PNG", saveAs: "Save as…",
    saved: "Saved to {path}",
    mpTitle: "Official Account parameter QR code (qrcode/create)", scene: "Scene", sceneHint: "a number (scene_id) or text (scene_str)",
    permanent: "Permanent", expire: "Expires in (s)", mpCreate: "Create", simulateScan: "Simulate a scan (emulator)",
    scanned: "Scanned: {event} {key} → callback HTTP {status}; it is in the Inbox.", mpEmpty: "Create a code to see it here; scans arrive in the Inbox as subscribe/SCAN events.",
    until: "until {at}",
  },
  messages: {
    send: "Send an app message", mediaHint: "an uploaded media_id, or pick a file below", file: "File", article: "Article {n}",
    addArticle: "Add an article", options: "Options", idTrans: "ID translation", dupCheck: "Duplicate check",
    mp: "Official Account messages", template: "Template message", tplData: "Data (key=value per line)",
    custom: "Customer-service message", customNote: "Allowed within 48 hours of the follower's last message or event.",
    sentOk: "Sent",
    robot: "Group robot", robotKey: "Webhook key", robotKeyHint: "the key or the whole webhook URL; kept with the profile's secrets, never shown again",
    robotKeySave: "Save key", robotKeyForget: "Forget key", robotKeyStored: "A key is stored ({store}).", robotKeyEmulator: "Using the emulator's robot (值班机器人).",
    robotKeyNone: "No key yet: enter the robot's webhook key once.", robotMention: "Mention", robotMentionHint: "userids to mention, or the everyone option",
    robotMentionMobile: "Mention by mobile", robotTarget: "to {target}",
    toUser: "To users", toParty: "To departments", toTag: "To tags", msgType: "Type", title: "Title", btnText: "Button text",
    description: "Description", content: "Content", safe: "Confidential", sendButton: "Send",
    invalid: "Invalid recipients", none: "none",
    simulate: "Simulate a callback", callbackUrl: "Callback URL", callbackUrlHint: "empty: this app ({url})",
    from: "From (userid / openid)", build: "Message", buildForm: "Build", event: "Event", xml: "Plaintext XML",
    simulateButton: "Encrypt and POST", postFailed: "The POST failed", sent: "Sent (plaintext, encrypted on the wire)",
    reply: "Passive reply (decrypted)", replyError: "The reply could not be decrypted", noReply: "No passive reply (empty body or \"success\").",
    request: "Request", response: "Raw response", noBody: "(no body)", templateId: "Template ID",
    toUserHint: "pick or type userids; the first option sends to everyone", toPartyHint: "pick or type department ids",
  },
  inbox: {
    all: "all", profile: "Profile", type: "Type", event: "Event", from: "From", text: "Text / key", clear: "Clear",
    stats: "{shown} shown · {loaded} loaded · {total} stored", reload: "Reload", older: "Load older", loadAll: "Load all",
    empty: "No callbacks yet. Simulate one on the Messages page, or let the emulator push one.",
    noMatch: "No entry matches the filter.", pick: "Pick an entry to see its typed body and raw XML.",
    fromLabel: "from", deliveries: "deliveries: {n}", typed: "Typed", raw: "Raw XML", reply: "Passive reply", noReply: "No passive reply was sent.",
  },
  work: {
    sign: "Sign a URL", urlHint: "the page's location.href without #fragment", signButton: "Sign",
    stringToSign: "String to sign (ticket masked)", checkThis: "Check this config below",
    check: "Diagnose a page's config", checkHint: "Paste the page's wx.config JSON (appId, timestamp, nonceStr, signature, url, jsApiList…)",
    checkButton: "Diagnose", ok: "OK", notOk: "Problems found", ticketsFrom: "Signature checked with the tickets of {name}.", fix: "Fix",
    doctor: "Crypto doctor: a captured callback", doctorUrl: "Captured request URL (with msg_signature, timestamp, nonce[, echostr])",
    doctorBody: "POST body (the <xml><Encrypt>… envelope); empty for URL verification", doctorButton: "Diagnose",
    cause: "Most likely cause", decrypted: "Decrypted message",
    sev: { error: "error", warning: "warning", info: "info" },
    step: { ok: "ok", fail: "fail", warn: "warn", skip: "skip" },
    stepName: {
      config: "config", envelope: "envelope", timestamp: "timestamp", signature: "signature", decrypt: "decrypt",
      base64: "base64", aes: "aes", length: "length", receiveid: "receiveid",
    },
  },
  rejected: {
    tab: "Rejected ({n})", stored: "Stored",
    stats: "{total} refused since the dev server started · the last {kept} per callback URL are kept",
    empty: "No callback was refused. Refusals (wrong Token, EncodingAESKey, receiveid, a stale timestamp, bad XML…) show here with the doctor's verdict.",
    body: "body {n} bytes (not kept: only its size and SHA-256)",
    openChecker: "Open in the callback checker", copyCommand: "Copy the wwkit crypt doctor command",
    prefilled: "Filled in from a refused callback. The server keeps no body: paste the captured POST body to check decryption.",
  },
  verdict: {
    token: "signed with another Token", aeskey: "EncodingAESKey differs", receiveid: "encrypted for another CorpID/AppID",
    wrongField: "signature computed over the wrong field", urlDecoding: "URL-decoded twice or not at all", altered: "ciphertext changed on the way",
    base64: "ciphertext is not base64", envelope: "no Encrypt element", noSignature: "no msg_signature", config: "the profile's Token or EncodingAESKey is unusable",
    clock: "timestamp too far from now (replay or clock)", missingParams: "query lacks signature, timestamp or nonce", unsafeXml: "malformed or unsafe XML",
    tooLarge: "body over 1 MiB", notAMessage: "decrypts, but is no callback message", unknownProfile: "the URL names no profile",
    lanPeer: "emulator callback from another machine",
  },
  suite: {
    title: "Third-party apps (suites)", reload: "Reload", none: "No suite: the dev server is the callback URL of none (a kind = \"suite\" profile, or the emulator's).",
    age: "received {m} min ago", noTicket: "no suite_ticket yet",
    noTicketWarn: "No suite_ticket yet: the provider platform pushes one every 10 minutes to the suite callback URL; check it is reachable.",
    stale: "The last suite_ticket is {m} min old: the provider platform pushes one every 10 minutes to the suite callback URL, so pushes are missing; check it is reachable.",
    expired: "The last suite_ticket is {m} min old and expired (valid 30 min): the provider platform pushes one every 10 minutes to the suite callback URL; check it is reachable.",
    noCorps: "No corp has installed this app yet.", corpName: "Corp", state: "State", active: "authorised", cancelled: "cancelled",
    choose: "Use", forCorp: "In corp {corp}", urlHint: "page URL on a trusted domain", sign: "Sign",
    toUser: "userid", content: "test message", send: "Send", sentOk: "Sent (msgid {id})",
  },
  qrwarn: {
    title: "A phone cannot open this QR code",
    loopback: "{url} is this machine's loopback address, which a phone cannot open. Listen on the LAN (wwkit desktop/tray --addr 0.0.0.0:{port}) or give a tunnel's URL with --public-url.",
    lanExcluded: "The dev server listens on {addr} (this machine only), so {url} reaches nothing from a phone. Listen with --addr 0.0.0.0:{port}.",
    notThisServer: "{url} is answered by another server (HTTP {status}), not this one: a stale tunnel or another program. Point the tunnel at this server or fix --public-url.",
    unreachable: "{url} cannot be reached from this machine ({err}); a phone will not open it either. Check the tunnel, the firewall or --public-url.",
    emulatorOnly: "An emulator code: it decodes to a weixin.qq.com URL that WeChat on a phone cannot open. Use \"Simulate a scan\" to push its subscribe/SCAN event.",
    expires: "expires {at} (local time), in {left}", expired: "expired {at} (local time)",
  },
};

export const zh: typeof en = {
  nav: { overview: "配置", tokens: "令牌", qr: "二维码", messages: "消息", inbox: "回调收件箱", workbench: "工作台", contacts: "通讯录" },
  contacts: {
    title: "{name} 的通讯录", departments: "部门", tags: "标签", members: "成员", member: "成员详情",
    reload: "刷新", recursive: "包含子部门", detail: "显示详情（user/list）",
    pickDept: "选择一个部门查看其成员。", pickMember: "选择一个成员查看详情。",
    noMembers: "此处没有成员。", noTags: "没有标签。", tagMembers: "标签「{name}」的成员", tagDepts: "带此标签的部门：{ids}",
    wecomOnly: "通讯录属于企业微信，请切换到企业微信配置。",
    note: "通过配置的接口客户端读取：模拟器的通讯录，或真实企业在应用可见范围内的通讯录。自 2022 年起企业微信对多数应用不再返回手机、邮箱和头像：字段为空即接口未返回。",
    lookup: "按 userid 查询", lookupButton: "读取",
    status: { active: "已激活", disabled: "已禁用", inactive: "未激活", exited: "已退出", unknown: "—" },
    gender: { male: "男", female: "女", unknown: "未提供" },
    field: {
      userId: "userid", name: "姓名", position: "职务", mobile: "手机", email: "邮箱", bizMail: "企业邮箱",
      telephone: "座机", alias: "别名", address: "地址", openUserId: "open_userid",
      departments: "所属部门", status: "状态", gender: "性别",
    },
  },
  platform: { wecom: "企业微信", mp: "公众号" },
  header: { profile: "配置", noProfile: "无配置", emulated: "模拟器", inbox: "收件箱：{n}" },
  help: { button: "快捷键", title: "键盘快捷键", refreshTokens: "刷新令牌", focusFilter: "筛选回调", toggleLang: "中文 / English", help: "本帮助" },
  error: {
    notInWindowTitle: "未连接到 wwkit",
    notInWindow: "此页面不在 wwkit 窗口中运行，无法调用 Go 服务。请用 `wwkit desktop` 启动。",
    tool: "wwkit 执行失败（这是工具错误，不是接口的 errcode）",
    errcode: "接口返回了 errcode",
  },
  common: { copy: "复制", copied: "已复制", copyFailed: "无法复制到剪贴板" },
  overview: {
    empty: "没有配置。请在模拟器上启动桌面应用，或在 wwkit.toml 中添加配置。",
    active: "当前配置：{name}",
    field: { secret: "Secret", token: "回调 Token", encodingAESKey: "EncodingAESKey" },
    reveal: "显示", hide: "隐藏", callbackUrl: "回调 URL", apiBase: "API 地址", official: "腾讯官方",
    trusted: "可信域名",
    maskedNote: "密钥在各处均已打码；点击「显示」才会向应用取回该值，仅此一次。",
    all: "全部配置", isActive: "当前", use: "使用",
    scan: "H5 调试页", scanNote: "用企业微信或微信扫码打开调试页。更多选项见「二维码」页。",
    stores: "存储位置", storesValue: "配置：{source} · 密钥：{secrets} · 令牌：{tokens}",
  },
  manage: {
    title: "管理配置", open: "展开", close: "收起", add: "新建配置", editing: "编辑 {name}", edit: "编辑", delete: "删除",
    confirmDelete: "删除配置 {name} 及其保存的密钥？", name: "名称", platform: "平台",
    keep: "留空：保留已保存的值", store: "令牌缓存", reply: "被动回复", update: "保存", addButton: "添加", cancel: "取消",
    saved: "已保存配置 {name}", export: "导出", import: "导入",
    exportNote: "导出内容不含密钥：导入后请填写密钥。",
    importHint: "粘贴导出内容（JSON 或 TOML）或 wwkit.toml",
    imported: "已导入：{names}", needSecrets: "请填写以下配置的密钥：{names}（编辑）",
    test: "测试连接", testOk: "连接成功：已获取 access_token（指纹 {fp}）",
  },
  tokens: {
    title: "{name} 的令牌", fetch: "获取", refresh: "刷新", invalidate: "作废",
    kind: "类型", value: "值（打码）", left: "剩余时间", obtainedAt: "获取时间", source: "来源", lastError: "最近错误",
    fingerprint: "指纹", notFetched: "尚未获取", expired: "已过期", failure: "失败",
    note: "「获取」在有效期内使用缓存；「刷新」丢弃 access_token 并全部重新获取；「作废」只丢弃（如客户端遇到 40014/42001 时）。",
    calls: "最近的接口调用", noCalls: "还没有接口调用。获取一个令牌或发送一条消息。",
    time: "时间", call: "调用", latency: "耗时", waiting: "等待 access_token",
  },
  qr: {
    title: "在手机上打开 H5 调试页", apis: "要测试的接口", apisHint: "如 chooseImage（可输入任意名称）",
    oauth: "先进行网页授权登录", size: "尺寸（像素）", level: "纠错等级", generate: "生成",
    note: "用企业微信或微信扫码。URL 使用开发服务器的公网地址（隧道请设置 --public-url）。",
    result: "二维码", empty: "生成二维码后在此显示。", copy: "复制 URL", save: "保存 PNG", saveAs: "另存为…",
    saved: "已保存到 {path}",
    mpTitle: "公众号带参数二维码（qrcode/create）", scene: "场景值", sceneHint: "数字（scene_id）或文本（scene_str）",
    permanent: "永久", expire: "有效期（秒）", mpCreate: "创建", simulateScan: "模拟扫码（模拟器）",
    scanned: "已扫码：{event} {key} → 回调 HTTP {status}；已进入回调收件箱。", mpEmpty: "创建后在此显示；扫码会以 subscribe/SCAN 事件进入回调收件箱。",
    until: "有效至 {at}",
  },
  messages: {
    send: "发送应用消息", mediaHint: "已上传的 media_id，或在下方选择文件", file: "文件", article: "图文 {n}",
    addArticle: "添加图文", options: "选项", idTrans: "ID 转译", dupCheck: "重复消息检查",
    mp: "公众号消息", template: "模板消息", tplData: "数据（每行 key=value）",
    custom: "客服消息", customNote: "仅在粉丝最近一次消息或事件后的 48 小时内可发送。",
    sentOk: "已发送",
    robot: "群机器人", robotKey: "Webhook key", robotKeyHint: "填写 key 或完整的 Webhook 地址；与配置的密钥一起保存，不再显示",
    robotKeySave: "保存 key", robotKeyForget: "删除 key", robotKeyStored: "已保存 key（{store}）。", robotKeyEmulator: "正在使用模拟器的群机器人（值班机器人）。",
    robotKeyNone: "尚未填写 key：请填写一次群机器人的 Webhook key。", robotMention: "提醒成员", robotMentionHint: "要提醒的 userid，或选择全体成员",
    robotMentionMobile: "按手机号提醒", robotTarget: "发往 {target}",
    toUser: "成员", toParty: "部门", toTag: "标签", msgType: "类型", title: "标题", btnText: "按钮文字",
    description: "描述", content: "内容", safe: "保密消息", sendButton: "发送",
    invalid: "无效的接收者", none: "无",
    simulate: "模拟回调", callbackUrl: "回调 URL", callbackUrlHint: "留空：本应用（{url}）",
    from: "发送者（userid / openid）", build: "消息", buildForm: "构造", event: "事件", xml: "明文 XML",
    simulateButton: "加密并 POST", postFailed: "POST 失败", sent: "已发送（明文，传输时已加密）",
    reply: "被动回复（已解密）", replyError: "无法解密回复", noReply: "没有被动回复（空响应或 \"success\"）。",
    request: "请求", response: "原始响应", noBody: "（无请求体）", templateId: "模板 ID",
    toUserHint: "选择或输入 userid；第一项表示全部成员", toPartyHint: "选择或输入部门 ID",
  },
  inbox: {
    all: "全部", profile: "配置", type: "类型", event: "事件", from: "发送者", text: "文本 / Key", clear: "清除",
    stats: "显示 {shown} · 已加载 {loaded} · 共存储 {total}", reload: "重新加载", older: "加载更早", loadAll: "全部加载",
    empty: "还没有回调。在「消息」页模拟一个，或让模拟器推送一个。",
    noMatch: "没有符合筛选条件的记录。", pick: "选择一条记录查看结构化内容和原始 XML。",
    fromLabel: "来自", deliveries: "投递次数：{n}", typed: "结构化", raw: "原始 XML", reply: "被动回复", noReply: "未发送被动回复。",
  },
  work: {
    sign: "URL 签名", urlHint: "页面的 location.href，不含 #片段", signButton: "签名",
    stringToSign: "待签名字符串（ticket 已打码）", checkThis: "在下方诊断此配置",
    check: "诊断页面配置", checkHint: "粘贴页面的 wx.config JSON（appId、timestamp、nonceStr、signature、url、jsApiList…）",
    checkButton: "诊断", ok: "正常", notOk: "发现问题", ticketsFrom: "已使用 {name} 的 ticket 校验签名。", fix: "修复",
    doctor: "回调诊断：粘贴抓到的回调", doctorUrl: "抓到的请求 URL（含 msg_signature、timestamp、nonce[、echostr]）",
    doctorBody: "POST 内容（<xml><Encrypt>… 信封）；URL 验证时留空", doctorButton: "诊断",
    cause: "最可能的原因", decrypted: "解密后的消息",
    sev: { error: "错误", warning: "警告", info: "信息" },
    step: { ok: "通过", fail: "失败", warn: "警告", skip: "跳过" },
    stepName: {
      config: "配置", envelope: "消息信封", timestamp: "时间戳", signature: "签名", decrypt: "解密",
      base64: "base64 解码", aes: "AES 解密", length: "长度", receiveid: "receiveid",
    },
  },
  rejected: {
    tab: "被拒绝（{n}）", stored: "已存储",
    stats: "开发服务器启动以来拒绝了 {total} 条 · 每个回调 URL 保留最近 {kept} 条",
    empty: "没有被拒绝的回调。被拒绝的回调（Token、EncodingAESKey、receiveid 不对，时间戳过期，XML 错误……）会带着诊断结论显示在这里。",
    body: "消息体 {n} 字节（不保存，只记录大小和 SHA-256）",
    openChecker: "在回调检查器中打开", copyCommand: "复制 wwkit crypt doctor 命令",
    prefilled: "已根据被拒绝的回调填好。服务器不保存消息体：粘贴抓到的 POST 内容即可检查解密。",
  },
  verdict: {
    token: "用另一个 Token 签名", aeskey: "EncodingAESKey 不一致", receiveid: "加密用的是另一个 CorpID/AppID",
    wrongField: "签名计算用错了字段", urlDecoding: "URL 解码了两次或没有解码", altered: "密文在传输中被改动",
    base64: "密文不是 base64", envelope: "没有 Encrypt 字段", noSignature: "缺少 msg_signature", config: "配置的 Token 或 EncodingAESKey 无效",
    clock: "时间戳与本机时间相差过大（重放或时钟不准）", missingParams: "查询参数缺少签名、timestamp 或 nonce", unsafeXml: "XML 格式错误或不安全",
    tooLarge: "消息体超过 1 MiB", notAMessage: "能解密，但不是回调消息", unknownProfile: "URL 中的配置不存在",
    lanPeer: "来自其他机器的模拟器回调",
  },
  suite: {
    title: "第三方应用", reload: "刷新", none: "没有第三方应用：开发服务器不是任何第三方应用的回调地址（kind = \"suite\" 的配置，或模拟器的应用）。",
    age: "{m} 分钟前收到", noTicket: "尚未收到 suite_ticket",
    noTicketWarn: "尚未收到 suite_ticket：服务商平台每 10 分钟向指令回调地址推送一次，请检查该地址是否可以访问。",
    stale: "最近的 suite_ticket 已是 {m} 分钟前的：服务商平台每 10 分钟推送一次，推送没有到达，请检查指令回调地址是否可以访问。",
    expired: "最近的 suite_ticket 已是 {m} 分钟前的，已过期（有效 30 分钟）：服务商平台每 10 分钟向指令回调地址推送一次，请检查该地址是否可以访问。",
    noCorps: "还没有企业安装此应用。", corpName: "企业", state: "状态", active: "已授权", cancelled: "已取消授权",
    choose: "使用", forCorp: "在企业 {corp} 中", urlHint: "可信域名下的页面地址", sign: "签名",
    toUser: "userid", content: "测试消息", send: "发送", sentOk: "已发送（msgid {id}）",
  },
  qrwarn: {
    title: "手机无法打开这个二维码",
    loopback: "{url} 是本机回环地址，手机打不开。请监听局域网（wwkit desktop/tray --addr 0.0.0.0:{port}），或用 --public-url 指定内网穿透地址。",
    lanExcluded: "开发服务器只监听 {addr}（仅本机），手机访问不到 {url}。请用 --addr 0.0.0.0:{port} 监听。",
    notThisServer: "{url} 由另一个服务器应答（HTTP {status}），不是本服务器：内网穿透已过期或被其他程序占用。请让穿透指向本服务器，或修改 --public-url。",
    unreachable: "本机访问不到 {url}（{err}），手机也打不开。请检查内网穿透、防火墙或 --public-url。",
    emulatorOnly: "这是模拟器生成的二维码：解码后是 weixin.qq.com 的地址，手机微信无法打开。请用「模拟扫码」推送 subscribe/SCAN 事件。",
    expires: "{at}（本地时间）过期，还剩 {left}", expired: "已于 {at}（本地时间）过期",
  },
};

const datetimeFormats = {
  en: {
    long: { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false },
    time: { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false },
  },
  zh: {
    long: { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false },
    time: { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false },
  },
} as const;

export type Lang = "en" | "zh";
const storeKey = "wwkit.lang";

/** initialLocale: the stored choice, else Chinese when navigator.language is zh*, else English. */
export function initialLocale(stored: string | null, navLang: string | undefined): Lang {
  if (stored === "en" || stored === "zh") return stored;
  return (navLang ?? "").toLowerCase().startsWith("zh") ? "zh" : "en";
}

function stored(): string | null {
  try {
    return localStorage.getItem(storeKey);
  } catch {
    return null;
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(stored(), typeof navigator === "undefined" ? undefined : navigator.language),
  fallbackLocale: "en",
  messages: { en, zh },
  datetimeFormats: datetimeFormats as never,
});

/** applyLocale shows l without saving it. */
function applyLocale(l: Lang) {
  i18n.global.locale.value = l;
  document.documentElement.lang = l === "zh" ? "zh-CN" : "en";
}

/** LanguageSettings is the part of the Go SettingsService the window uses. */
export interface LanguageSettings {
  Language(): Promise<{ lang: string; saved: boolean }>;
  SetLanguage(lang: string): Promise<void>;
}

let shared: LanguageSettings | undefined;

/**
 * useSharedLanguage makes the Go SettingsService (locale.json in the data
 * directory, which the tray reads too) the source of the language: the
 * window shows what is saved there, else the system locale, and saves its
 * choices there. Outside the window (a plain browser) localStorage stays
 * the store.
 */
export async function useSharedLanguage(s: LanguageSettings): Promise<void> {
  shared = s;
  try {
    const got = await s.Language();
    const mine = stored();
    if (!got.saved && (mine === "zh" || mine === "en")) {
      // a choice made before the window and the tray shared one: keep it
      // and share it
      await s.SetLanguage(mine);
    } else if (got.lang === "zh" || got.lang === "en") {
      applyLocale(got.lang);
    }
  } catch {
    /* keep the locale from localStorage / navigator.language */
  }
}

export function setLocale(l: Lang) {
  applyLocale(l);
  try {
    localStorage.setItem(storeKey, l);
  } catch {
    /* private mode: the choice lasts this session */
  }
  shared?.SetLanguage(l).catch(() => {
    /* the data directory is not writable: the choice lasts this session */
  });
}
