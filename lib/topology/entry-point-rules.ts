/**
 * Entry points, as data: the resources through which users reach the estate from outside, so that
 * an impact that reaches one is felt by users. Extend the table; keep the code that reads it as is.
 */
import { absentOrNot, type Check, isTrue, present, property } from "./checks.js";
import { valuesAt } from "./property-path.js";

/** One kind of entry point. */
export interface EntryPointRule {
  /** Short name shown with every match. */
  name: string;
  /** Lower-cased types the rule applies to. */
  types: readonly string[];
  /** When present, the rule holds only if the check finds evidence; absent means every resource of the types. */
  check?: Check;
}

const publicFrontend = property("properties.frontendIPConfigurations[*].properties.publicIPAddress.id", present);

/** A frontend with a public IP that takes inbound traffic (outbound-only SNAT frontends do not). */
const publicInboundFrontend: Check = (resource) => {
  for (const frontend of valuesAt(resource, "properties.frontendIPConfigurations[*]")) {
    if (valuesAt(frontend.value, "properties.publicIPAddress.id").length === 0) continue;
    const inbound = ["loadBalancingRules", "inboundNatRules", "inboundNatPools"].flatMap((k) =>
      valuesAt(frontend.value, `properties.${k}[*]`),
    );
    if (inbound.length > 0) return `${frontend.path} has a public IP and ${inbound.length} inbound rule(s)`;
  }
  return undefined;
};

/** The entry-point rules TopDeck uses by default. */
export const entryPointRules: readonly EntryPointRule[] = [
  { name: "application gateway with a public frontend", types: ["microsoft.network/applicationgateways"], check: publicFrontend },
  { name: "front door", types: ["microsoft.network/frontdoors", "microsoft.cdn/profiles"] },
  { name: "traffic manager", types: ["microsoft.network/trafficmanagerprofiles"] },
  // An internal-mode API Management instance sits in a virtual network with no public gateway.
  { name: "API Management", types: ["microsoft.apimanagement/service"], check: absentOrNot("properties.virtualNetworkType", "Internal") },
  { name: "public load balancer", types: ["microsoft.network/loadbalancers"], check: publicInboundFrontend },
  { name: "public IP address", types: ["microsoft.network/publicipaddresses"] },
  // Web and function apps are public unless public network access is disabled (ARM's default is public).
  { name: "public web app", types: ["microsoft.web/sites"], check: absentOrNot("properties.publicNetworkAccess", "Disabled") },
  { name: "static web app", types: ["microsoft.web/staticsites"] },
  {
    name: "public container app",
    types: ["microsoft.app/containerapps"],
    check: property("properties.configuration.ingress.external", isTrue),
  },
];
