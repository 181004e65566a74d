/** The demo institution shipped with the project (contracts/sites/demo.yaml). */
export const DEMO_SITE_URL = new URL('../sites/demo.yaml', import.meta.url);
