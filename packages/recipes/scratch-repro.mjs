import { spawn } from 'node:child_process';
import { startMockServer, PERSONAL_API_KEY } from '@fornex-flow/mock-server';
import { mkdtempSync } from 'node:fs';
const mock = await startMockServer({ port: 0, scale: 5, latencyMs: 25 });
const dir = mkdtempSync('/tmp/clifuzz-scratch/x');
const env = { ...process.env, FORNEX_BASE_URL: mock.url, FORNEX_API_KEY: PERSONAL_API_KEY, FORNEX_FLOW_DB: dir + '/runs.db', NO_COLOR: '1' };
const input = JSON.stringify({ title: 'proof', publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIProofKey proof@host', replaceKeyId: 67, orders: 'all', concurrency: 1 });
function go(args, killAfter) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const c = spawn(process.execPath, ['dist/cli/bin.js', ...args], { env });
    let n = 0, out = '', err='';
    c.stdout.on('data', (d) => { out += d; for (const l of String(d).split('\n')) if (l.includes('step:started') && ++n >= killAfter) setTimeout(() => c.kill('SIGKILL'), 10); });
    c.stderr.on('data', (d) => err += d);
    c.on('exit', (code, sig) => { console.log(args[1], code ?? sig, Date.now() - t0, 'ms'); resolve({out, err}); });
  });
}
const show = () => new Promise((r) => { const c = spawn(process.execPath, ['dist/cli/bin.js', '--json', 'runs', '--children'], { env }); let o=''; c.stdout.on('data', d=>o+=d); c.on('exit', () => { for (const l of o.trim().split('\n')) { const j = JSON.parse(l); console.log('  ', j.runId.slice(0,8), j.parentRunId?.slice(0,8), j.status, j.leaseOwner, j.leaseExpiresMs && (j.leaseExpiresMs - Date.now())); } r(); }); });
await go(['--json', 'run', 'rotate-ssh-keys', '--input', input], 1); await show();
await go(['--json', 'resume', '--all'], 2); await show();
const r = await go(['--json', 'resume', '--all'], 2); await show();
for (const l of r.out.trim().split("\n")) { const j = JSON.parse(l); console.log(j.at, j.event, j.stepKey ?? "", j.state ?? "", JSON.stringify(j.error ?? "").slice(0,200)); } console.log(r.err);
await mock.close();
