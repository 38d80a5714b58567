import { describe, expect, it } from 'vitest';
import { createPathTemplate, MalformedPathError } from './path-template.js';

describe('createPathTemplate', () => {
  it('matches several parameters in one segment', () => {
    const t = createPathTemplate('/api/vps_stat/{order_id}/{field}/{start}--{end}.json');
    expect(t.match('/api/vps_stat/34-177054/traffic/2015-11-16--2015-11-17.json')).toEqual({
      order_id: '34-177054',
      field: 'traffic',
      start: '2015-11-16',
      end: '2015-11-17',
    });
    expect(t.match('/api/vps_stat/34-177054/traffic/2015-11-16.json')).toBeNull();
  });

  it('matches text around a parameter', () => {
    const t = createPathTemplate('/api/vpn/{order}/config-{proto}.ovpn');
    expect(t.match('/api/vpn/301-12312/config-udp.ovpn')).toEqual({ order: '301-12312', proto: 'udp' });
    expect(t.match('/api/vpn/301-12312/config-udp.ovpnx')).toBeNull();
  });

  it('decodes parameters and reports bad encoding', () => {
    const t = createPathTemplate('/api/dns/v0.1/{name}/zone_file/');
    expect(t.match('/api/dns/v0.1/ex%41mple.com/zone_file/')).toEqual({ name: 'exAmple.com' });
    expect(() => t.match('/api/dns/v0.1/%E0%A4%A/zone_file/')).toThrow(MalformedPathError);
  });

  it('builds paths that a value cannot escape', () => {
    const t = createPathTemplate('/api/dns/v0.1/{name}/entry_set/{pk}/');
    expect(t.build({ name: 'example.com', pk: 366182 })).toBe('/api/dns/v0.1/example.com/entry_set/366182/');
    expect(t.build({ name: '../../x?y#z', pk: 1 })).toBe('/api/dns/v0.1/..%2F..%2Fx%3Fy%23z/entry_set/1/');
    // `%2E%2E` would be no better: URLs resolve it as `..` (new URL('https://x/a/%2E%2E/').pathname is '/').
    for (const name of ['.', '..']) expect(() => t.build({ name, pk: 1 })).toThrow(MalformedPathError);
    expect(() => t.build({ name: 'a' })).toThrow(/pk/);
  });

  it('round-trips what it builds', () => {
    const t = createPathTemplate('/api/ssh_keys/{order_id}/add/');
    const built = t.build({ order_id: 'a/b c' });
    expect(t.match(built)).toEqual({ order_id: 'a/b c' });
  });
});
