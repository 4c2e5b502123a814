// Original file: proto/trainer/trainer.proto


export interface Epoch {
  'epoch'?: (number);
  'metrics'?: ({[key: string]: number | string});
}

export interface Epoch__Output {
  'epoch': (number);
  'metrics': ({[key: string]: number});
}
