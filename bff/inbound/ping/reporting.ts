/**
 * How a tool reports for one device: its ping URL, a cron-ready curl line (Healthchecks'
 * recommended flags: fail on HTTP errors, quiet, 10 s timeout, 5 retries) and the report
 * mail address that files mail under the device's client.
 */
export interface DeviceReporting {
  pingUrl: string | null;
  curl: string | null;
  mailAddress: string;
}

export function deviceReporting(publicUrl: string, pingKey: string, pingSlug: string | null, clientId: string): DeviceReporting {
  const pingUrl = pingSlug === null ? null : `${publicUrl}/ping/${pingKey}/${pingSlug}`;
  return {
    pingUrl,
    curl: pingUrl === null ? null : `curl -fsS -m 10 --retry 5 -o /dev/null ${pingUrl}`,
    mailAddress: `${pingKey}+${clientId}@${new URL(publicUrl).hostname}`,
  };
}
