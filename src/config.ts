import { z } from 'zod';

/**
 * Every setting comes from the environment and is validated here, once, at start-up.
 * The README's configuration table mirrors this schema; keep them in step.
 */

const port = z.coerce
  .number({ message: 'must be an integer between 0 and 65535' })
  .int('must be an integer between 0 and 65535')
  .min(0, 'must be an integer between 0 and 65535')
  .max(65535, 'must be an integer between 0 and 65535');

const hours = z.coerce
  .number({ message: 'must be a number of hours between 1 and 720' })
  .min(1, 'must be a number of hours between 1 and 720')
  .max(720, 'must be a number of hours between 1 and 720');

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const agentTokens = z
  .string()
  .trim()
  .optional()
  .transform((raw, ctx) => {
    const agents: { name: string; token: string }[] = [];
    if (!raw) return agents;
    for (const pair of raw.split(',')) {
      const [name, token, ...rest] = pair.split(':').map((s) => s.trim());
      if (!name || !token || rest.length > 0 || token.length < 16) {
        ctx.addIssue({
          code: 'custom',
          message: 'must be a comma-separated list of name:token pairs, each token at least 16 characters',
        });
        return z.NEVER;
      }
      agents.push({ name, token });
    }
    return agents;
  });

const schema = z
  .object({
    PORT: port.default(3978),
    DATA_DIR: z.string().trim().min(1, 'must be a directory path').default('./data'),
    MONGODB_URI: optionalString.refine((v) => v === undefined || /^mongodb(\+srv)?:\/\//.test(v), {
      message: 'must start with mongodb:// or mongodb+srv:// (leave unset for the embedded server)',
    }),
    MONGODB_DB: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 letters, digits, "_" or "-"')
      .default('complaint_desk'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        message: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 16, {
      message: 'must be at least 16 characters (leave unset to disable the admin API)',
    }),
    AGENT_TOKENS: agentTokens,
    MicrosoftAppId: optionalString,
    MicrosoftAppPassword: optionalString,
    MicrosoftAppType: z
      .enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
        message: 'must be MultiTenant, SingleTenant or UserAssignedMSI',
      })
      .default('MultiTenant'),
    MicrosoftAppTenantId: optionalString,
    CARRIER_FIXTURES: optionalString,
    CARRIER_URL: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), {
      message: 'must be an http:// or https:// URL of the back office',
    }),
    CARRIER_TIMEOUT_MS: z.coerce
      .number({ message: 'must be a whole number of milliseconds between 100 and 60000' })
      .int('must be a whole number of milliseconds between 100 and 60000')
      .min(100, 'must be a whole number of milliseconds between 100 and 60000')
      .max(60_000, 'must be a whole number of milliseconds between 100 and 60000')
      .default(3000),
    NLU_MODEL_PATH: optionalString,
    TICKET_FIRST_RESPONSE_HOURS: hours.default(24),
    TICKET_RESOLVE_HOURS: hours.default(48),
    PLAN_SPEED_SHARE: z.coerce
      .number({ message: 'must be a share of the subscribed speed between 0.1 and 1 (e.g. 0.8)' })
      .min(0.1, 'must be a share of the subscribed speed between 0.1 and 1 (e.g. 0.8)')
      .max(1, 'must be a share of the subscribed speed between 0.1 and 1 (e.g. 0.8)')
      .default(0.8),
    SERVICE_HOURS: z
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, { message: 'must be HH:MM-HH:MM in Asia/Shanghai time, e.g. 08:00-22:00' })
      .default('08:00-22:00'),
    HANDOFF_TIMEOUT_MIN: z.coerce
      .number({ message: 'must be a number of minutes between 1 and 120' })
      .min(1, 'must be a number of minutes between 1 and 120')
      .max(120, 'must be a number of minutes between 1 and 120')
      .default(5),
    HANDOFF_MODE: z
      .enum(['queue', 'botframework'], { message: 'must be queue (this service\'s agent desk) or botframework (the channel\'s own agent hub)' })
      .default('queue'),
    TRANSCRIPT_RETENTION_DAYS: z.coerce
      .number({ message: 'must be a whole number of days between 1 and 3650' })
      .int('must be a whole number of days between 1 and 3650')
      .min(1, 'must be a whole number of days between 1 and 3650')
      .max(3650, 'must be a whole number of days between 1 and 3650')
      .default(180),
    WECHAT_TOKEN: optionalString,
    WECHAT_APPID: optionalString,
    WECHAT_AES_KEY: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v), {
      message: 'must be the 43-character EncodingAESKey from the Official Account settings',
    }),
    WECHAT_SECRET: optionalString,
    WECHAT_API_BASE: z
      .string()
      .trim()
      .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL (default https://api.weixin.qq.com)')
      .transform((v) => v.replace(/\/+$/, ''))
      .default('https://api.weixin.qq.com'),
    WECHAT_PASSIVE_REPLY_MS: z.coerce
      .number({ message: 'must be a whole number of milliseconds between 100 and 4800' })
      .int('must be a whole number of milliseconds between 100 and 4800')
      .min(100, 'must be a whole number of milliseconds between 100 and 4800')
      .max(4800, 'must be a whole number of milliseconds between 100 and 4800')
      .default(4500),
    DIRECTLINE_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: 'must be at least 32 characters (leave unset to keep a generated one in the database)',
    }),
    DIRECTLINE_TOKEN_TTL_MIN: z.coerce
      .number({ message: 'must be a whole number of minutes between 5 and 1440' })
      .int('must be a whole number of minutes between 5 and 1440')
      .min(5, 'must be a whole number of minutes between 5 and 1440')
      .max(1440, 'must be a whole number of minutes between 5 and 1440')
      .default(30),
    DIRECTLINE_CONVERSATION_IDLE_HOURS: z.coerce
      .number({ message: 'must be a number of hours between 1 and 720' })
      .min(1, 'must be a number of hours between 1 and 720')
      .max(720, 'must be a number of hours between 1 and 720')
      .default(24),
  })
  .superRefine((env, ctx) => {
    if (env.MicrosoftAppType === 'SingleTenant' && env.MicrosoftAppId && !env.MicrosoftAppTenantId) {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppTenantId'],
        message: 'is required when MicrosoftAppType is SingleTenant',
      });
    }
    if (env.CARRIER_URL && env.CARRIER_FIXTURES) {
      ctx.addIssue({
        code: 'custom',
        path: ['CARRIER_URL'],
        message: 'and CARRIER_FIXTURES cannot both be set (choose the real back office or the simulator)',
      });
    }
    if (env.WECHAT_AES_KEY && !env.WECHAT_APPID) {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_APPID'], message: 'is required when WECHAT_AES_KEY is set (safe mode checks the app id)' });
    }
    if ((env.WECHAT_APPID || env.WECHAT_AES_KEY || env.WECHAT_SECRET) && !env.WECHAT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['WECHAT_TOKEN'], message: 'is required to receive WeChat messages when any WECHAT_* setting is given' });
    }
    if (env.TICKET_RESOLVE_HOURS < env.TICKET_FIRST_RESPONSE_HOURS) {
      ctx.addIssue({
        code: 'custom',
        path: ['TICKET_RESOLVE_HOURS'],
        message: 'must not be shorter than TICKET_FIRST_RESPONSE_HOURS',
      });
    }
  });

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const got = env[name];
    const shown = got === undefined ? '' : ` (got ${JSON.stringify(got.length > 40 ? `${got.slice(0, 40)}…` : got)})`;
    // Never echo secrets back into logs.
    const secret = /TOKEN|PASSWORD|SECRET|AES_KEY/i.test(name);
    return `Configuration error: ${name} ${issue.message}${secret ? '' : shown}`;
  });
  throw new ConfigError(lines.join('\n'));
}
