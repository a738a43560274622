// Package message parses the decrypted callback messages and events that
// WeCom (企业微信) apps and WeChat Official Accounts (公众号) push to a callback
// URL (接收消息与事件), and builds passive replies (被动回复消息).
//
// Parse scans the flat XML by hand (no encoding/xml reflection), keeps the
// input in Message.Raw and returns the common header fields plus a typed
// Body chosen by MsgType and Event:
//
//	MsgType   Event                                   Body
//	text                                              *Text
//	image                                             *Image
//	voice                                             *Voice
//	video, shortvideo                                 *Video
//	location                                          *Location
//	link                                              *Link
//	event     subscribe                               *Subscribe (MP: EventKey "qrscene_…", Ticket)
//	event     unsubscribe                             *Unsubscribe
//	event     enter_agent                             *EnterAgent
//	event     SCAN                                    *Scan
//	event     LOCATION                                *LocationReport
//	event     click / CLICK                           *Click
//	event     view / VIEW                             *View
//	event     view_miniprogram                        *ViewMiniprogram
//	event     scancode_push, scancode_waitmsg         *ScanCode
//	event     pic_sysphoto, pic_photo_or_album, pic_weixin  *SendPics
//	event     location_select                         *LocationSelect
//	event     batch_job_result                        *BatchJobResult
//	event     change_contact                          *ChangeContact
//	event     change_external_contact, change_external_chat, change_external_tag  *ChangeExternal
//	event     template_card_event, template_card_menu_event  *TemplateCard
//	event     TEMPLATESENDJOBFINISH                   *TemplateSendJobFinish
//	event     MASSSENDJOBFINISH                       *MassSendJobFinish
//	event     open_approval_change                    *Unknown (fields of ApprovalInfo flattened) [unconfirmed layout]
//	(none)    third-party InfoType callbacks           *SuiteInfo (suite_ticket, create_auth, change_auth, cancel_auth, …; reply SuiteAck)
//	anything else                                     *Unknown
//
// Event names are matched case-insensitively, because MP uses CLICK/VIEW
// where WeCom uses click/view. Unknown types are not an error: the body is
// *Unknown with every top-level text element, and Raw keeps the whole XML.
//
// Parse rejects DOCTYPE and entity declarations (XML bombs), documents
// larger than MaxSize and nesting deeper than the scanner's limit.
//
// The New…Reply functions build the plaintext passive reply XML; encrypt it
// with wxcrypt.Crypt.EncryptReply for WeCom and MP safe mode.
package message
