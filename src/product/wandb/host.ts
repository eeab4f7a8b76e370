/** The W&B server the client talks to, and the credentials only it may see. */
export type WandbHost = {
  /** Without a trailing slash. */
  baseUrl: string;
  origin: string;
  /** The `Authorization` header value; never sent to any other origin. */
  authorization: string;
};

export function wandbHost(baseUrl: string, apiKey: string): WandbHost {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return {
    baseUrl: trimmed,
    origin: new URL(trimmed).origin,
    authorization: `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}`,
  };
}

/** Headers of an authenticated JSON POST to the W&B host. */
export function jsonHeaders(host: WandbHost): Record<string, string> {
  return { Authorization: host.authorization, 'Content-Type': 'application/json' };
}
