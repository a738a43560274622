// Tool errors (工具错误) in the window's language. A failed service call
// rejects with an ErrorDTO (app/desktop/problem.go): a code, its parameters,
// the English message and the wrapped cause. English shows the Go message;
// Chinese renders the code from problemZh below. problems.gen.json (written
// from Go by `go test ./frontend -run TestDesktopBindings -update`) lists
// every code, and a unit test fails when one has no Chinese text here or the
// text still holds an English sentence.
import type { ErrorDTO } from "./bindings.gen";
import findingCodes from "../../h5/src/codes.gen.json";

export const problemZh: Record<string, string> = {
  internal: "wwkit 内部错误（原文为英文，见下方详情）",
  notInWindow: "此页面不在 wwkit 窗口中运行，无法调用 Go 服务；请用 wwkit desktop 打开。",

  "app.notStarted": "应用尚未启动，请重新打开 wwkit 窗口。",
  "profile.unknown": "没有名为「{name}」的配置，请从顶部的配置列表中选择。",
  "profile.noActive": "当前没有选中的配置，请在 {n} 个配置中切换到一个。",
  "profile.missingEnv": "{path} 的 [profiles.{table}] 从环境变量 ${env} 读取密钥，但该变量为空；请设置它（export {env}=…）后重启应用。",
  "profile.renamed": "已改名为 {name} 显示：名称 {taken} 已被模拟器的配置占用。",
  "profile.attachedOnly": "配置 {name} 由所连接的开发服务器提供，本窗口读不到其密钥；在此添加该配置之前，接口调用会失败。",
  "profile.secretRead": "配置 {name}：读取密钥失败，请重新填写。",
  "profile.secretStoreUnknown": "配置 {name}：profiles.json 中的密钥存储「{store}」未知，请重新填写密钥。",
  "profile.noClients": "配置 {name} 暂不可用：无法创建其接口客户端；请在「配置 → 管理配置 → 编辑」中填写其密钥。",
  "profile.platform": "配置 {name}：平台「{platform}」无效，请选择企业微信（wecom）或公众号（mp）。",
  "profile.store": "配置 {name}：令牌缓存「{store}」无效，请填写 memory、file、file:路径 或 redis://主机:端口/库号。",
  "profile.storeOpen": "配置 {name}：无法打开令牌缓存。",
  "profile.client": "配置 {name}：无法创建接口客户端。",
  "profile.exists": "已存在名为「{name}」的配置（{source}），请换一个名称。",
  "profile.rename": "配置不能改名（{from} → {to}）：请先导出、删除，再以新名称导入。",
  "profile.aesKeyLen": "配置 {name}：EncodingAESKey 有 {n} 个字符，应为 43 个（请从回调配置中重新复制）。",
  "profile.secretSpace": "配置 {name}：某个密钥的开头或结尾有空格，请重新复制。",
  "profile.fromFile": "配置 {name} 来自 wwkit.toml，请直接编辑该文件（应用启动时读取）。",
  "profile.emulator": "配置 {name} 属于模拟器，不能修改；请新建自己的配置。",
  "profile.program": "配置 {name} 由程序传入，不能在此修改。",
  "profile.notListed": "配置 {name} 已保存但未出现在列表中，请重启应用。",
  "profile.nameChars": "配置名称「{name}」无效：只能使用字母、数字、- 或 _。",
  "profile.wecomNeeds": "配置 {name}：企业微信配置需要企业ID（CorpID）和应用的 AgentID。",
  "profile.wecomAppID": "配置 {name}：AppID 属于公众号；企业微信配置请填写企业ID和 AgentID。",
  "profile.mpNeeds": "配置 {name}：公众号配置需要 AppID。",
  "profile.mpCorp": "配置 {name}：企业ID和 AgentID 属于企业微信；公众号配置请填写 AppID。",
  "profile.url": "配置 {name}：「{url}」不是 http(s) 地址。",
  "profile.reply": "配置 {name}：被动回复规则「{reply}」无效，可选 none、echo、text:内容、image:MEDIA_ID、voice:MEDIA_ID、video:MEDIA_ID|标题|描述、music:…（公众号）或 news:标题|描述|链接|图片链接。",
  "profile.keyringDown": "密钥保存在系统钥匙串中，但钥匙串当前无响应；请解锁钥匙串，或重新填写密钥。",
  "profile.secretField": "未知的密钥字段「{field}」，可选 Secret、回调 Token 或 EncodingAESKey。",
  "profile.storeKind": "密钥存储「{kind}」当前不可用。",
  "profile.testFailed": "配置 {name}：连接测试未能访问接口。",
  "profile.testNoSecret": "请先填写 Secret 再测试连接。",
  "settings.lang": "未知的语言「{lang}」，可选 zh、en 或 system。",
  "settings.save": "无法把语言选择保存到数据目录。",
  "profile.duplicate": "有两个配置都叫「{name}」（{a} 和 {b}），请将其中一个改名。",
  "profile.tomlTable": "{path} 中的 [profiles.{table}] 不是有效的配置，请修改该文件。",
  "profiles.read": "无法读取配置文件 {path}。",
  "profiles.json": "{path} 不是合法的 JSON，请修正或删除它（其中没有密钥）。",
  "secrets.fileRead": "无法读取密钥文件 {path}。",
  "secrets.fileJSON": "密钥文件 {path} 不是合法的 JSON，请恢复它，或删除后重新填写密钥。",
  "secrets.keyringNone": "系统钥匙串没有响应；Linux 上请启动 Secret Service（gnome-keyring、KeePassXC），或改用文件存储。",
  "secrets.keyringGet": "无法从系统钥匙串读取配置 {name} 的 {field}。",
  "secrets.keyringSet": "无法把配置 {name} 的 {field} 写入系统钥匙串。",
  "secrets.keyringDelete": "无法从系统钥匙串删除配置 {name} 的 {field}。",
  "file.mkdir": "无法创建目录 {path}。",
  "file.write": "无法写入 {path}。",
  "export.encode": "无法把配置编码为 TOML。",
  "attach.request": "所连接的开发服务器（{url}）没有正常应答；请确认 wwkit tray（或窗口）仍在运行。",
  "open.gone": "被拒绝的回调 {id} 已不在记录中（开发服务器每个回调路径只保留最近 {kept} 条）；请打开收件箱的「被拒绝」视图查看。",
  "attach.refused": "{url} 的开发服务器拒绝了本窗口；请重启 wwkit tray 后再打开检查器。",
  "app.restart": "配置变更后开发服务器未能重新启动，现已停止；请重启应用。",
  "app.serverStart": "无法启动开发服务器。",
  "export.format": "导出格式「{format}」无效，请选择 json 或 toml。",
  "import.empty": "导入内容中没有配置；请粘贴导出的 JSON（含 profiles 列表）或 wwkit.toml 中的 [profiles.名称] 段。",
  "import.nothing": "没有可导入的内容；请粘贴导出内容或 wwkit.toml。",
  "import.refused": "导入被拒绝，未做任何修改。",
  "import.twice": "导入被拒绝，未做任何修改：配置「{name}」出现了两次。",
  "import.conflicts": "导入被拒绝，未做任何修改：配置 {names} 已存在，请先删除或改名。",
  "import.secretJSON": "导入被拒绝，未做任何修改：导入内容含有密钥（密钥从不导入，请在导入后于应用中填写）。",
  "import.notJSON": "导入内容不是 wwkit 导出的配置（JSON）。",
  "import.secretStore": "导入被拒绝，未做任何修改：secretStore 字段不能导入。",
  "import.notTOML": "导入内容既不是 JSON 也不是 TOML。",
  "import.tomlSecret": "导入被拒绝，未做任何修改：[profiles.{name}] 中含有密钥，请删除（密钥在应用中填写，或在 wwkit.toml 中用 secret_env）。",
  "import.tomlNoID": "导入被拒绝，未做任何修改：[profiles.{name}] 既没有 corp_id 也没有 mp_app_id。",

  "msg.wecomOnly": "配置 {name} 是公众号；应用消息只适用于企业微信（公众号请用模板消息或客服消息）。",
  "msg.noRecipient": "没有接收者：请填写成员（如 userid 或 @all）、部门或标签。",
  "msg.emptyText": "文本消息内容为空，请填写内容。",
  "msg.emptyMarkdown": "Markdown 消息内容为空，请填写内容。",
  "msg.textcardTitle": "文本卡片消息需要标题和链接。",
  "msg.textcardDesc": "文本卡片消息需要描述，请填写内容。",
  "msg.newsCount": "图文消息需要 1 到 8 篇图文，当前为 {n} 篇。",
  "msg.articleTitle": "第 {n} 篇图文没有标题。",
  "msg.templateCard": "模板卡片需要在「卡片」中填写 JSON 对象，例如 card_type 为 text_notice，并含 main_title 与 card_action。",
  "msg.type": "不支持消息类型「{type}」，可选：{types}。",
  "msg.sendFailed": "发送消息失败（未收到接口应答）。",
  "msg.mediaOne": "{kind} 消息需要且只需要以下之一：media_id、本地文件路径或所选文件。",
  "msg.fileStat": "无法读取要发送的文件。",
  "msg.fileTooBig": "{path} 有 {n} 字节，企业微信最多接受 20 MB。",
  "msg.fileRead": "读取要发送的文件失败。",
  "msg.notBase64": "所选文件的内容不是有效的 base64 编码。",
  "msg.uploadTooBig": "文件有 {n} 字节，企业微信最多接受 20 MB。",
  "msg.uploadFailed": "上传 {kind} 素材失败（未收到接口应答）。",
  "contacts.wecomOnly": "配置 {name} 是公众号；通讯录只属于企业微信，请切换到企业微信配置。",
  "contacts.department": "部门 ID {id} 无效；请从部门树中选择（部门 ID 为正整数）。",
  "contacts.userID": "请输入成员的 userid（成员账号，例如 zhangsan）。",
  "contacts.tag": "标签 ID {id} 无效；请从标签列表中选择。",
  "contacts.failed": "读取通讯录（{api}）失败，企业微信尚未应答；请检查网络和配置中的接口地址。",
  "msg.templateMPOnly": "配置 {name} 是企业微信应用；模板消息是公众号接口（企业微信请用应用消息）。",
  "msg.templateNeeds": "模板消息需要接收者 openid 和模板 ID。",
  "msg.templateFailed": "发送模板消息失败（未收到接口应答）。",
  "msg.customMPOnly": "配置 {name} 是企业微信应用；客服消息是公众号接口（企业微信请用应用消息）。",
  "msg.customNeedsTo": "客服消息需要接收者 openid。",
  "msg.customMedia": "{type} 客服消息需要 media_id。",
  "msg.customNewsOne": "图文客服消息只能有 1 篇图文。",
  "msg.articleNoTitle": "图文没有标题。",
  "msg.customType": "不支持客服消息类型「{type}」，可选：文本、图片、语音或图文。",
  "suite.read": "无法读取第三方应用的状态。",
  "suite.attached": "为第三方应用的授权企业发消息需要本窗口内的开发服务器；本窗口连接的是另一个进程（wwkit tray）：请在那里使用 wwkit suite corp-token，或不带 --attach 打开窗口。",
  "suite.noCorp": "请选择一个安装了第三方应用 {name} 的企业。",
  "suite.corp": "第三方应用 {name} 的企业 {corp} 不可用。",
  "suite.cancelled": "企业 {corp} 已于 {at} 取消授权（cancel_auth）；其永久授权码已失效，需要企业重新安装应用。",
  "robot.wecomOnly": "配置 {name} 是公众号；群机器人属于企业微信，请切换到企业微信配置。",
  "robot.noKey": "配置 {name} 还没有群机器人的 Webhook key；请填写一次（群机器人 → Webhook 地址：key 或完整地址），应用会把它与配置的密钥一起保存。",
  "robot.badKey": "这不是群机器人的 Webhook key：请粘贴 key（形如 693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa）或完整的 Webhook 地址 …/cgi-bin/webhook/send?key=KEY。",
  "robot.needFile": "群机器人的 {type} 消息需要文件，请选择一个。",
  "robot.imageTooBig": "图片有 {n} 字节；群机器人的图片须为 2MB 以内的 JPG 或 PNG。",
  "robot.articleNeeds": "第 {n} 篇图文需要标题和链接（群机器人的图文点击后打开链接）。",
  "msg.customFailed": "发送客服消息失败（未收到接口应答）。",
  "sim.url": "回调 URL「{url}」不是 http(s) 地址。",
  "sim.crypto": "配置 {name}：其回调 Token 或 EncodingAESKey 无法用于加密。",
  "sim.xml": "要发送的 XML 无法解析为回调消息。",
  "sim.encrypt": "加密消息失败。",
  "sim.request": "构造回调请求失败。",
  "sim.type": "不支持消息类型「{type}」，可选：文本、图片、语音、视频、小视频、位置、链接、文件或事件，也可直接粘贴 XML。",
  "sim.field": "{type} 消息需要字段 {field}。",
  "sim.fieldName": "字段名「{field}」不是合法的 XML 元素名，只能使用字母、数字和 _。",
  "sim.fieldReserved": "字段 {field} 由模拟器自动填写，请使用表单中的发送者、类型、事件、事件 Key 和内容。",
  "sim.eventName": "事件需要填写事件名（subscribe、click、enter_agent、SCAN 等）。",
  "qr.apiName": "接口名「{name}」含有逗号或空格，请每项只填一个接口名。",
  "qr.noPublicURL": "开发服务器没有公网地址，请用 --public-url 设置。",
  "qr.encode": "生成二维码图片失败。",
  "qr.notDataURL": "不是 PNG 图片数据，请先生成二维码。",
  "qr.notPNG": "图片数据不是 PNG，请重新生成二维码。",
  "qr.noFileName": "没有保存二维码的文件名。",
  "qr.mpOnly": "配置 {name} 是企业微信应用；带参数二维码是公众号接口（请切换到公众号配置）。",
  "qr.sceneBoth": "场景值只能填数字或文本其中一种。",
  "qr.sceneID": "场景值 {id} 超出范围：永久二维码为 1 到 100000，临时二维码为 1 到 4294967295。",
  "qr.sceneStr": "场景值文本有 {n} 字节，最多 64 字节。",
  "qr.noScene": "没有场景值，请填写数字（scene_id）或文本（scene_str）。",
  "qr.permanentExpiry": "永久二维码没有有效期，请将有效期留为 0。",
  "qr.expire": "有效期 {n} 秒超出范围，应为 60 到 2592000 秒（30 天）。",
  "qr.create": "创建二维码失败（未收到接口应答）。",
  "qr.scanNotEmulator": "配置 {name} 不是模拟器的公众号，请用手机微信扫码。",
  "qr.scanNone": "没有可扫描的二维码，请先创建一个。",
  "qr.scanFailed": "请求模拟器模拟扫码失败。",
  "qr.size": "二维码尺寸 {size} 超出范围，应为 128 到 1024 像素。",
  "qr.level": "纠错等级「{level}」无效，可选 L、M、Q 或 H。",
  "qr.save": "无法将二维码保存到 {path}。",
  "dialog.none": "此处没有文件对话框（只有桌面窗口有）；请输入路径后点「保存 PNG」。",
  "dialog.failed": "保存对话框出错。",
  "sign.noURL": "没有要签名的 URL：请粘贴页面的 location.href（不含 # 及其后内容）。",
  "sign.agentOnMP": "配置 {name} 是公众号；wx.agentConfig 只存在于企业微信，请选择 wx.config。",
  "sign.kind": "签名类型「{kind}」无效，可选 wx.config 或 wx.agentConfig。",
  "sign.ticket": "获取 {name} 的 {ticket} 失败。",
  "sign.url": "该 URL 无法签名，请粘贴完整的 http(s) 页面地址。",
  "sign.checkJSON": "粘贴的配置不是合法的 JSON，请粘贴 wx.config 的参数对象。",
  "token.kind": "此配置没有令牌类型「{kind}」。",
  "token.invalidate": "配置 {name}：作废 access_token 失败。",
  "token.timeout": "获取 {name} 的 {kind} 超时，未收到应答。",
  "crypto.url": "抓到的请求 URL 无法解析，请粘贴完整的 URL（含查询参数）。",
  "inbox.noPath": "开发服务器没有告知回调收件箱的位置。",
  "inbox.open": "无法打开回调收件箱 {path}。",
  "inbox.read": "读取回调收件箱失败。",
  "inbox.limit": "每页条数 {limit} 超出范围，应为 1 到 {max}。",
  "inbox.offset": "偏移量 {offset} 不能为负数。",
  "inbox.noEntry": "回调收件箱中没有编号 {id} 的记录，请重新加载列表。",
};

export interface ShownError {
  /** the message in the chosen language */
  text: string;
  /** the wrapped cause (from the OS, the network or a library), untranslated */
  cause?: string;
  code: string;
}

/** msgTypeZh names message and media types in Chinese (the Messages page's choices use it too). */
export const msgTypeZh: Record<string, string> = {
  text: "文本", markdown: "Markdown", textcard: "文本卡片", news: "图文", image: "图片", voice: "语音", video: "视频",
  file: "文件", template_card: "模板卡片", shortvideo: "小视频", location: "位置", link: "链接", event: "事件",
  mpnews: "图文（mpnews）", miniprogram_notice: "小程序通知",
};

function fill(tmpl: string, params: Record<string, string> | null | undefined): string {
  return tmpl.replace(/\{(\w+)\}/g, (m, k: string) => {
    if (!params || !(k in params)) return m;
    const v = params[k];
    return (k === "type" || k === "kind") && msgTypeZh[v] ? msgTypeZh[v] : v;
  });
}

function isErrorDTO(e: unknown): e is ErrorDTO {
  return typeof e === "object" && e !== null && typeof (e as ErrorDTO).code === "string" && typeof (e as ErrorDTO).message === "string";
}

/**
 * describeError renders a rejected bound call in lang. Wails rejects with
 * the ErrorDTO; a plain string or Error (an older build, a failure in the
 * page itself) is shown as the internal code with its text as the cause.
 */
export function describeError(e: unknown, lang: string): ShownError {
  let dto: ErrorDTO;
  if (isErrorDTO(e)) {
    dto = e;
  } else if (e instanceof Error && e.name === "NotInWindowError") {
    dto = { code: "notInWindow", params: {}, message: e.message };
  } else {
    const s = typeof e === "string" ? e : e instanceof Error ? e.message : safeJSON(e);
    dto = { code: "internal", params: {}, message: s.replace(/^desktop: /, "") };
  }
  if (lang !== "zh") return { text: dto.message, cause: dto.cause || undefined, code: dto.code };
  const zh = problemZh[dto.code];
  if (!zh) return { text: problemZh.internal, cause: dto.message, code: dto.code };
  if (dto.code === "internal") return { text: zh, cause: dto.message, code: dto.code };
  return { text: fill(zh, dto.params), cause: dto.cause || undefined, code: dto.code };
}

function safeJSON(e: unknown): string {
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

/** errorLine is describeError as one line: the message, then the cause. */
export function errorLine(e: unknown, lang: string): string {
  const d = describeError(e, lang);
  if (!d.cause) return d.text;
  return lang === "zh" ? `${d.text}（详情：${d.cause}）` : `${d.text}: ${d.cause}`;
}

const fixes = new Map(findingCodes.map((c) => [c.code, c]));

/**
 * findingFix is the fix of a diagnostic code in lang, from core/jssdk's
 * table (codes.gen.json); fallback (the finding's own English fix) when the
 * code is not in it.
 */
export function findingFix(code: string, lang: string, fallback: string): string {
  const c = fixes.get(code);
  if (!c) return fallback;
  return lang === "zh" ? c.fixZh || fallback : c.fix || fallback;
}
