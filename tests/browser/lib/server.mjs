// A Vigie server for the browser tests: a fresh data directory, accounts
// made with the CLI, `vigie serve` on a free loopback port, SIGTERM at the
// end.  Nothing here talks to anything but 127.0.0.1.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const READY = /Vigie est en service sur (http:\/\/127\.0\.0\.1:(\d+)\/)/;

function run(binary, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(binary, args, { timeout: 20000 },
      (err, stdout, stderr) => {
        if (err) {
          err.message += `\n${stdout}${stderr}`;
          reject(err);
        } else {
          resolve(stdout);
        }
      });
    if (input !== undefined) child.stdin.end(input);
  });
}

export class VigieServer {
  constructor(binary) {
    this.binary = path.resolve(binary);
    this.data = null;
    this.proc = null;
    this.url = null;
    this.port = null;
    this.log = '';
  }

  async init(config = {}) {
    this.data = await mkdtemp(path.join(tmpdir(), 'vigie-browser-'));
    await run(this.binary, ['init', '--data', this.data]);
    const lines = Object.entries(config).map(([k, v]) => `${k} = ${v}\n`);
    await writeFile(path.join(this.data, 'vigie.conf'), lines.join(''));
  }

  // The password goes on stdin, one line, as a person would type it.
  async addUser(email, role, password, name) {
    const args = ['user', 'add', email, '--role', role, '--data', this.data];
    if (name) args.push('--name', name);
    await run(this.binary, args, `${password}\n`);
  }

  // Another command on the same data (the server may be running).
  cli(...args) {
    return run(this.binary, [...args, '--data', this.data]);
  }

  start(timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const proc = spawn(this.binary,
        ['serve', '--data', this.data, '--listen', '127.0.0.1:0'],
        { stdio: ['ignore', 'pipe', 'pipe'] });
      this.proc = proc;
      let out = '';
      const timer = setTimeout(() => {
        reject(new Error(`no "en service" line after ${timeoutMs} ms:\n${out}${this.log}`));
      }, timeoutMs);
      proc.stdout.setEncoding('utf8');
      proc.stderr.setEncoding('utf8');
      proc.stderr.on('data', (d) => { this.log += d; });
      proc.stdout.on('data', (d) => {
        out += d;
        const m = READY.exec(out);
        if (m && this.url === null) {
          this.url = m[1];
          this.port = Number(m[2]);
          clearTimeout(timer);
          resolve(this.url);
        }
      });
      proc.on('close', (code, signal) => {
        this.exit = { code, signal, asked: this.stopping === true };
        if (this.url === null) {
          clearTimeout(timer);
          reject(new Error(`vigie serve exited (${code ?? signal}) before it was ready:\n${out}${this.log}`));
        }
      });
      proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
  }

  // SIGTERM, then wait for the process to finish its requests and exit.
  get running() {
    return this.proc !== null && this.exit === undefined;
  }

  // How it ended, with the end of its log, when it ended on its own.
  describeExit() {
    if (!this.exit) return 'running';
    const how = this.exit.signal ? `signal ${this.exit.signal}` : `exit code ${this.exit.code}`;
    return `${how}${this.exit.asked ? '' : ', not asked to stop'}`;
  }

  logTail(n = 15) {
    return this.log.trim().split('\n').slice(-n);
  }

  async stop(timeoutMs = 15000) {
    this.stopping = true;
    const proc = this.proc;
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((resolve) => proc.once('close', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    }
    this.proc = null;
    return this.exit;
  }

  async cleanup() {
    await this.stop();
    if (this.data) await rm(this.data, { recursive: true, force: true });
    this.data = null;
  }
}
