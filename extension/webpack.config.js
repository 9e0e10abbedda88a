// Merged into JupyterLab's extension build (package.json → jupyterlab.webpackConfig).
// plotly.js-basic-dist-min is already minified: running terser over it again costs tens of seconds
// per build and saves nothing, so chunks that are plotly's pass through untouched.
const TerserPlugin = require("terser-webpack-plugin");

// In the licence header of every plotly.js bundle (full, basic, …).
const PLOTLY = "Plotly, Inc.";

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
