// The explorer page declares the answers it reads (web/explorer/types.ts) instead of importing
// lib/: it is built for browsers, with a tsconfig of its own (DOM types, no Node). This file is not
// run; `npm run typecheck` compiles it with the rest, and it fails to compile when an answer the
// API gives no longer fits what the page declares it reads (a field renamed, dropped or retyped).
import type { ExplorerCaller } from "../../lib/api/explorer/routes.js";
import type { ChangeSources } from "../../lib/api/queries/change-sources.js";
import type { ChangesAnswer } from "../../lib/api/queries/changes.js";
import type { GroupView } from "../../lib/api/queries/explorer-group.js";
import type { Neighbourhood } from "../../lib/api/queries/explorer-neighbourhood.js";
import type { ExplorerSummary } from "../../lib/api/queries/explorer-summary.js";
import type { ImpactAnswer } from "../../lib/api/queries/impact.js";
import type { ResourceDetail } from "../../lib/api/queries/resource-detail.js";
import type { ResourcePage } from "../../lib/api/queries/resources.js";
import type { RiskAnswer } from "../../lib/api/queries/risk.js";
import type { ScenarioAnswer } from "../../lib/api/queries/scenarios.js";
import type { RunView } from "../../lib/runs/views.js";
import type * as Page from "../../web/explorer/types.js";

/** `true` when every value of `Api` is a value of `Read`; otherwise the mismatch, named. */
type Fits<Api, Read, Name extends string> = [Api] extends [Read] ? true : { answerNoLongerFits: Name };

export const explorerTypesFitTheApi: [
  Fits<ExplorerSummary, Page.Summary, "GET explorer/summary">,
  Fits<ResourcePage, Page.ResourcePage, "GET resources">,
  Fits<Neighbourhood, Page.Neighbourhood, "GET explorer/neighbourhood">,
  Fits<ImpactAnswer, Page.FailureAnswer, "GET impact">,
  Fits<ScenarioAnswer, Page.FailureAnswer, "POST scenarios">,
  Fits<RiskAnswer, Page.Risk, "GET risk">,
  Fits<ChangesAnswer, Page.Changes, "GET changes">,
  Fits<ChangeSources, Page.ChangeSources, "changeSources">,
  Fits<ResourceDetail, Page.ResourceDetail, "GET resources/detail">,
  Fits<RunView, Page.Run, "GET discovery/runs/latest">,
  Fits<GroupView, Page.GroupView, "GET explorer/group">,
  Fits<ExplorerCaller, Page.Caller, "GET explorer/me">,
] = [true, true, true, true, true, true, true, true, true, true, true, true];
