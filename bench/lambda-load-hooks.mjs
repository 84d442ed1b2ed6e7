// Module hooks for bench/lambda-runner.mjs --trace-loads: tells the runner every file URL Node loads, so a bench can
// say which chunks of a bundle a request brought in. Only in a process of its own: the hooks thread costs start time.
let port;

export function initialize(data) {
  port = data.port;
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) port.postMessage(url);
  return nextLoad(url, context);
}
