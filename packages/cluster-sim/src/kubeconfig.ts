import { writeFileSync } from 'node:fs';

export interface KubeconfigEntry {
  name: string;
  url: string;
  token: string;
  /** PEM CA certificate when the cluster serves TLS. */
  ca?: string;
}

/** A kubeconfig with one context per stand-in cluster; the first is current. */
export function kubeconfigYaml(
  entries: KubeconfigEntry | KubeconfigEntry[],
): string {
  const list = Array.isArray(entries) ? entries : [entries];
  const clusters = list
    .map(e => {
      const ca = e.ca
        ? `\n    certificate-authority-data: ${Buffer.from(e.ca).toString(
            'base64',
          )}`
        : '';
      return `- name: ${e.name}\n  cluster:\n    server: ${e.url}${ca}`;
    })
    .join('\n');
  const users = list
    .map(e => `- name: ${e.name}\n  user:\n    token: ${e.token}`)
    .join('\n');
  const contexts = list
    .map(
      e =>
        `- name: ${e.name}\n  context:\n    cluster: ${e.name}\n    user: ${e.name}`,
    )
    .join('\n');
  return `apiVersion: v1
kind: Config
clusters:
${clusters}
users:
${users}
contexts:
${contexts}
current-context: ${list[0].name}
preferences: {}
`;
}

export function writeKubeconfig(
  path: string,
  entries: KubeconfigEntry | KubeconfigEntry[],
) {
  writeFileSync(path, kubeconfigYaml(entries), { mode: 0o600 });
}
