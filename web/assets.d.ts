// esbuild loads .css files as text (src/server/web-assets.ts).
declare module '*.css' {
  const text: string;
  export default text;
}
