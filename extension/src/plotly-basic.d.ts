// plotly.js-basic-dist-min ships no declarations; plotly-loader.ts types it with the full bundle's.
declare module "plotly.js-basic-dist-min";
