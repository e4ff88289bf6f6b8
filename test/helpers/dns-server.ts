import { createSocket, Socket } from 'node:dgram';
import { AddressInfo } from 'node:net';
import * as packet from 'dns-packet';

// The low four bits of the header flags (RFC 1035 4.1.1).
const RCODES = { SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 } as const;

/** What the test server answers for a name: TXT records (each a list of chunks), or a failure. */
export type DnsBehaviour = { txt: string[][] } | { rcode: 'SERVFAIL' | 'REFUSED' | 'NXDOMAIN' } | { silent: true };

/**
 * A small authoritative DNS server on a loopback UDP port, so tests exercise the service's real
 * resolver without reaching any real one. Names it was not told about answer NXDOMAIN.
 */
export class TestDnsServer {
  private readonly behaviours = new Map<string, DnsBehaviour>();
  readonly queries: string[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('message', (message, remote) => this.answer(message, remote.address, remote.port));
  }

  static async start(): Promise<TestDnsServer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new TestDnsServer(socket);
  }

  /** `host:port`, as DNS_SERVERS takes it. */
  get address(): string {
    const { port } = this.socket.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  set(name: string, behaviour: DnsBehaviour): void {
    this.behaviours.set(name.toLowerCase(), behaviour);
  }

  clear(name: string): void {
    this.behaviours.delete(name.toLowerCase());
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  private answer(message: Buffer, address: string, port: number): void {
    let query: packet.Packet;
    try {
      query = packet.decode(message);
    } catch {
      return;
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase();
    this.queries.push(name);
    const behaviour = this.behaviours.get(name) ?? { rcode: 'NXDOMAIN' as const };
    if ('silent' in behaviour) return;
    const reply: packet.Packet = {
      id: query.id,
      type: 'response',
      flags: packet.AUTHORITATIVE_ANSWER | packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE,
      questions: [question],
      answers: [],
    };
    if ('rcode' in behaviour) {
      reply.flags = (reply.flags ?? 0) | RCODES[behaviour.rcode];
    } else if (question.type === 'TXT') {
      reply.answers = behaviour.txt.map((chunks) => ({ type: 'TXT', class: 'IN', name: question.name, ttl: 60, data: chunks }));
    }
    this.socket.send(packet.encode(reply), port, address);
  }
}
