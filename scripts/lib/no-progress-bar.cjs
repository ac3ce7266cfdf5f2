/**
 * Preloaded into `taro build --watch` (NODE_OPTIONS=--require) by npm run dev when its output goes
 * to a file or a pipe. Taro hands webpackbar a fixed reporter list with the "fancy" one in it, and no
 * option or environment variable reaches webpackbar's own `fancy: false`: in a log that reporter is
 * hundreds of redrawn progress bars with erase-line escapes, each repeating every line printed
 * meanwhile. Its "basic" reporter stays, so the log still says when the app compiles and is done.
 */
const { createRequire } = require('node:module');

function dropFancyReporter() {
  let WebpackBar;
  try {
    WebpackBar = createRequire(require.resolve('@tarojs/webpack5-runner', { paths: [__dirname] }))('webpackbar');
  } catch {
    // Not the H5 build (or another runner): nothing to quiet, and a preload must never break a build.
    return false;
  }
  const proto = (WebpackBar.default ?? WebpackBar).prototype;
  if (typeof proto?.callReporters !== 'function' || proto.callReporters.duetQuiet) return false;
  const callReporters = proto.callReporters;
  proto.callReporters = function (fn, payload) {
    if (Array.isArray(this.reporters)) this.reporters = this.reporters.filter((r) => r?.constructor?.name !== 'FancyReporter');
    return callReporters.call(this, fn, payload);
  };
  proto.callReporters.duetQuiet = true;
  return true;
}

module.exports = { dropFancyReporter, applied: dropFancyReporter() };
