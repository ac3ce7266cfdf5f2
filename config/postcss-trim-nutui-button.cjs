/**
 * A postcss plugin for both builds: drops the rules of NutUI's Button stylesheet for variants the
 * app never draws — the types success / info / danger / warning, the sizes xlarge / mini, the
 * dashed fill and right-to-left layout. Every page has a button, so that stylesheet ships in the
 * weapp main package, where those rules were 8 KB of its 420 KB budget.
 * scripts/lib/nutui-button-trim.test.ts fails when app code asks a Button for one of them.
 */
const UNUSED_PARTS = ['success', 'info', 'danger', 'warning', 'xlarge', 'mini', 'dashed'];
const BUTTON_CSS = /@nutui[\\/]nutui-react-taro[\\/]dist[\\/]es[\\/]packages[\\/]button[\\/]style[\\/]style\.css$/;

/** Whether a selector styles only a variant the app never uses. */
function isUnusedSelector(selector) {
  if (/\.nut-rtl\b|\[dir=rtl\]/.test(selector)) return true;
  const classes = selector.match(/\.nut-button-[\w-]+/g) ?? [];
  return classes.some((name) =>
    name
      .slice('.nut-button-'.length)
      .split('-')
      .some((part) => UNUSED_PARTS.includes(part)),
  );
}

function trimNutuiButton() {
  return {
    postcssPlugin: 'duet-trim-nutui-button',
    Once(root) {
      if (!BUTTON_CSS.test(root.source?.input.file ?? '')) return;
      root.walkRules((rule) => {
        const kept = rule.selectors.filter((selector) => !isUnusedSelector(selector));
        if (kept.length === 0) rule.remove();
        else if (kept.length < rule.selectors.length) rule.selectors = kept;
      });
    },
  };
}
trimNutuiButton.postcss = true;

module.exports = trimNutuiButton;
module.exports.UNUSED_PARTS = UNUSED_PARTS;
module.exports.isUnusedSelector = isUnusedSelector;
