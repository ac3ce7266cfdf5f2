/**
 * What the gateway answers WeChat: `success` when it has nothing to say, or a passive reply
 * (plaintext XML) addressed back to the sender.
 */

export const NOTHING_TO_SAY = 'success';

/** CDATA text; a literal `]]>` is split across two sections so it cannot close the section. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** A passive text reply: `to` is the user's openid, `from` the 公众号's gh_ id, `createTime` seconds. */
export function buildTextReply(input: { to: string; from: string; createTime: number; content: string }): string {
  return (
    `<xml><ToUserName>${cdata(input.to)}</ToUserName><FromUserName>${cdata(input.from)}</FromUserName>` +
    `<CreateTime>${Math.floor(input.createTime)}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(input.content)}</Content></xml>`
  );
}
