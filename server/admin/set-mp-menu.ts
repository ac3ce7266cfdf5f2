import { checkMenu, type MenuButton, withDefaultAppid } from '../../core/admin/mp-menu';
import { DuetError } from '../../core/errors';
import { callMpApi } from '../mp/mp-api';
import { adminMpConfig, mpFailure } from './mp-access';

/** `setMpMenu`: the 公众号's custom menu, checked here first so every problem is reported with its path. */
export async function setMpMenu(input: { buttons: MenuButton[] }, now: Date): Promise<{ buttons: MenuButton[] }> {
  const config = adminMpConfig();
  const buttons = withDefaultAppid(input.buttons, config.miniAppid);
  const issues = checkMenu(buttons);
  if (issues.length > 0) {
    throw new DuetError('INVALID_ARGUMENT', issues.map((issue) => `buttons.${issue.path.join('.')}: ${issue.message}`).join('; '));
  }
  try {
    await callMpApi(config, { method: 'POST', api: 'menu/create', json: { button: buttons }, now });
  } catch (error) {
    throw mpFailure(error);
  }
  return { buttons };
}
