import cloud from 'wx-server-sdk';

// One init per instance. DYNAMIC_CURRENT_ENV follows the env the function is deployed in,
// so the same bundle runs in every environment and on the local cloud.
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });

export { cloud };

export function database() {
  return cloud.database();
}
