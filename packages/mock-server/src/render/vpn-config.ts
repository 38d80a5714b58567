import type { Order } from '../world/types.js';

/** Renders an OpenVPN client profile for a VPN order (the documented text, completed). */
export function renderVpnConfig(order: Order, proto: 'tcp' | 'udp'): string {
  const ip = order.ipaddress_set[0] ?? '209.222.104.210';
  return [
    'client',
    'dev tun',
    '<connection>',
    `   remote ${ip} 443 ${proto}`,
    '</connection>',
    'resolv-retry infinite',
    'nobind',
    'persist-key',
    'persist-tun',
    'remote-cert-tls server',
    'cipher AES-256-GCM',
    'auth SHA256',
    'verb 3',
    `# order ${order.id}`,
    '',
  ].join('\n');
}
