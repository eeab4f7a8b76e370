/** What every AWS client of the product is configured from: the command's environment, never process.env. */
export type AwsEnv = Readonly<Record<string, string | undefined>>;

export type AwsClientConfig = {
  maxAttempts: number;
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
};

/**
 * Standard AWS configuration for one service: the region given (else AWS_REGION / AWS_DEFAULT_REGION),
 * the endpoint from AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL (moto_server in tests), keys from
 * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, else the SDK's default chain (the ECS task role).
 */
export function awsClientConfig(env: AwsEnv, serviceEndpointVar: string, region?: string): AwsClientConfig {
  const config: AwsClientConfig = { maxAttempts: 3 };
  const resolvedRegion = region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (resolvedRegion) config.region = resolvedRegion;
  const endpoint = env[serviceEndpointVar] ?? env.AWS_ENDPOINT_URL;
  if (endpoint) config.endpoint = endpoint;
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    config.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return config;
}
