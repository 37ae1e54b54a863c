import { dependencyRules } from "./lib/topology/failure/dependency-rules.js";
for (const r of dependencyRules) if (r.group) console.log(r.name, String(r.via), r.from.join(","), r.to.join(","));
