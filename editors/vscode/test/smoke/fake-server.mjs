#!/usr/bin/env node
// A minimal LSP server over stdio (initialize / initialized / shutdown / exit), standing in
// for stoffel-lsp in the activation smoke test. Writes its argv to stderr once initialized.
let buffer = Buffer.alloc(0);

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

function handle(msg) {
  if (msg.method === "initialize") {
    send({ id: msg.id, result: { capabilities: { textDocumentSync: 1 }, serverInfo: { name: "fake-stoffel-lsp" } } });
  } else if (msg.method === "initialized") {
    process.stderr.write(`fake-stoffel-lsp initialized args=${JSON.stringify(process.argv.slice(2))}\n`);
  } else if (msg.method === "shutdown") {
    send({ id: msg.id, result: null });
  } else if (msg.method === "exit") {
    process.exit(0);
  } else if (msg.id !== undefined && msg.method !== undefined) {
    send({ id: msg.id, error: { code: -32601, message: `unhandled ${msg.method}` } });
  }
}

process.stdin.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) return;
    const match = /Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString("ascii"));
    if (!match) return;
    const length = Number(match[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const body = buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8");
    buffer = buffer.subarray(headerEnd + 4 + length);
    handle(JSON.parse(body));
  }
});
process.stdin.on("end", () => process.exit(0));
