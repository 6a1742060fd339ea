/** What the decode loop needs from a model folder's config.json. */
export interface ModelShape {
  nLayer: number;
  nHead: number;
  headDim: number;
  nPositions: number;
  vocabSize: number;
}
