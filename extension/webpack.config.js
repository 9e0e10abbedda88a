// Merged into JupyterLab's extension build (package.json → jupyterlab.webpackConfig).
// plotly.js-dist-min is already minified: running terser over its 4.8 MB again costs about 100 s
// per build and saves nothing, so chunks that are plotly's pass through untouched.
const TerserPlugin = require("terser-webpack-plugin");

const PLOTLY = "plotly.js v";

module.exports = {
  optimization: {
    minimizer: [
      new TerserPlugin({
        // In-process: a minify function sent to worker threads loses its closure (TerserPlugin, PLOTLY).
        parallel: false,
        minify: (input, sourceMap, options, extractComments) => {
          const [code] = Object.values(input);
          if (typeof code === "string" && code.length > 1_000_000 && code.includes(PLOTLY)) return { code };
          return TerserPlugin.terserMinify(input, sourceMap, options, extractComments);
        },
      }),
    ],
  },
};
