/**
 * The floor of `npm run bench`: the smallest Remix app on the same compiler, flags and packages as Care
 * Circle, built by the bench into tmp/ (never into the repository).
 * @type {import('@remix-run/dev').AppConfig}
 */
export default {
  serverModuleFormat: "esm",
  serverBuildPath: "../../tmp/bench/floor-app/build/index.js",
  assetsBuildDirectory: "../../tmp/bench/floor-app/public/build",
  cacheDirectory: "../../tmp/bench/floor-app/.cache",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
