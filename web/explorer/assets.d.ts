// esbuild bundles imported CSS into app.css; TypeScript only needs to know the import exists.
declare module "*.css";
