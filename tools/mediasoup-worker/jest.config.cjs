module.exports = { ...require('../../jest.preset.cjs'), displayName: 'mediasoup-worker', rootDir: __dirname };
