// Original file: proto/registry/registry.proto


export interface ListModelsRequest {
}

export interface ListModelsRequest__Output {
}
