/** The dataset has no registered model (no version was ever registered for it). */
export class ModelNotFoundError extends Error {
  override name = "ModelNotFoundError";
  constructor(readonly dataset: string) {
    super(`dataset "${dataset}" has no registered model: no model.trained was registered for it yet`);
  }
}

export class VersionNotFoundError extends Error {
  override name = "VersionNotFoundError";
  constructor(
    readonly dataset: string,
    readonly version: number,
    latest: number | null,
  ) {
    const known = latest === null ? "it has no versions" : `its versions are 1 to ${latest}`;
    super(`dataset "${dataset}" has no model version ${version}: ${known}`);
  }
}

export class ChampionNotFoundError extends Error {
  override name = "ChampionNotFoundError";
  constructor(readonly dataset: string) {
    super(`dataset "${dataset}" has no champion: no version was promoted yet`);
  }
}

export class RunNotFoundError extends Error {
  override name = "RunNotFoundError";
  constructor(readonly runId: string) {
    super(`run "${runId}" is unknown to the registry: no model.trained with that run id was received`);
  }
}

/** Rollback needs a champion that replaced an earlier one. */
export class NoPreviousChampionError extends Error {
  override name = "NoPreviousChampionError";
  constructor(
    readonly dataset: string,
    champion: number | null,
  ) {
    super(
      champion === null
        ? `dataset "${dataset}" has no champion, so there is nothing to roll back`
        : `dataset "${dataset}" has no previous champion to roll back to: version ${champion} replaced none`,
    );
  }
}
