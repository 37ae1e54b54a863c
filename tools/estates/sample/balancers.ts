// Builders for the estate's front doors: load balancers, application gateways and their WAF
// policies, shaped like LoadBalancerGet and ApplicationGatewayGet. Their many sub-resources
// (frontends, pools, rules, probes) reference each other by child id; those all resolve to the
// gateway itself and carry no dependency.
import type { ArmResource } from "../schema.js";
import { childId, guidFrom, resourceId, weakEtag } from "./ids.js";
import type { Placement } from "./network.js";

const NET = "Microsoft.Network";
const refs = (ids: readonly string[]): { id: string }[] => ids.map((id) => ({ id }));
const lastSegment = (id: string): string => id.slice(id.lastIndexOf("/") + 1);

/** A load balancer's shape: public frontends, backend pools of NIC/VMSS ipConfigurations, rules. */
export interface LoadBalancerSpec {
  frontends: { name: string; publicIpId: string }[];
  /** `members` are ipConfiguration ids; `listAddresses` also fills `loadBalancerBackendAddresses`. */
  pools: { name: string; members: string[]; listAddresses?: boolean }[];
  rules: {
    name: string;
    frontend: string;
    pool: string;
    probe: string;
    protocol: "Tcp" | "Udp";
    frontendPort: number;
    backendPort: number;
  }[];
  probes: { name: string; protocol: "Http" | "Tcp"; port: number; requestPath?: string }[];
  outboundRules: { name: string; frontends: string[]; pool: string; allocatedOutboundPorts: number }[];
}

/** The id of load balancer `name`. */
export function loadBalancerId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, NET, "loadBalancers", name);
}

/** The id of a backend pool of a load balancer. */
export function loadBalancerPoolId(lb: string, pool: string): string {
  return childId(lb, "backendAddressPools", pool);
}

/** The id of a frontend IP configuration of a load balancer. */
export function loadBalancerFrontendId(lb: string, frontend: string): string {
  return childId(lb, "frontendIPConfigurations", frontend);
}

/** A Standard public load balancer. */
export function loadBalancer(at: Placement, spec: LoadBalancerSpec): ArmResource {
  const id = loadBalancerId(at.sub, at.rg, at.name);
  const sub = (kind: string, name: string): string => childId(id, kind, name);
  const ruleIdsWhere = (pred: (r: LoadBalancerSpec["rules"][number]) => boolean): string[] =>
    spec.rules.filter(pred).map((r) => sub("loadBalancingRules", r.name));
  const outboundIdsWhere = (pred: (r: LoadBalancerSpec["outboundRules"][number]) => boolean): string[] =>
    spec.outboundRules.filter(pred).map((r) => sub("outboundRules", r.name));
  const element = (kind: string, name: string, properties: Record<string, unknown>): Record<string, unknown> => ({
    name,
    id: sub(kind, name),
    etag: weakEtag(sub(kind, name)),
    type: `Microsoft.Network/loadBalancers/${kind}`,
    properties: { provisioningState: "Succeeded", ...properties },
  });
  const optional = (key: string, ids: string[]): Record<string, unknown> => (ids.length ? { [key]: refs(ids) } : {});
  return {
    name: at.name,
    id,
    etag: weakEtag(id),
    type: "Microsoft.Network/loadBalancers",
    location: at.location,
    tags: at.tags ?? {},
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: guidFrom(`guid:${id}`),
      frontendIPConfigurations: spec.frontends.map((f) =>
        element("frontendIPConfigurations", f.name, {
          privateIPAllocationMethod: "Dynamic",
          publicIPAddress: { id: f.publicIpId },
          ...optional(
            "loadBalancingRules",
            ruleIdsWhere((r) => r.frontend === f.name),
          ),
          ...optional(
            "outboundRules",
            outboundIdsWhere((r) => r.frontends.includes(f.name)),
          ),
        }),
      ),
      backendAddressPools: spec.pools.map((p) =>
        element("backendAddressPools", p.name, {
          backendIPConfigurations: refs(p.members),
          ...(p.listAddresses
            ? {
                loadBalancerBackendAddresses: p.members.map((m) => ({
                  name: `${lastSegment(m.slice(0, m.indexOf("/ipConfigurations/")))}_${lastSegment(m)}`,
                  properties: { networkInterfaceIPConfiguration: { id: m } },
                })),
              }
            : {}),
          ...optional(
            "loadBalancingRules",
            ruleIdsWhere((r) => r.pool === p.name),
          ),
          ...optional(
            "outboundRules",
            outboundIdsWhere((r) => r.pool === p.name),
          ),
        }),
      ),
      loadBalancingRules: spec.rules.map((r) =>
        element("loadBalancingRules", r.name, {
          frontendIPConfiguration: { id: sub("frontendIPConfigurations", r.frontend) },
          frontendPort: r.frontendPort,
          backendPort: r.backendPort,
          enableFloatingIP: false,
          idleTimeoutInMinutes: 4,
          protocol: r.protocol,
          enableTcpReset: true,
          loadDistribution: "Default",
          disableOutboundSnat: true,
          backendAddressPool: { id: sub("backendAddressPools", r.pool) },
          backendAddressPools: [{ id: sub("backendAddressPools", r.pool) }],
          probe: { id: sub("probes", r.probe) },
        }),
      ),
      probes: spec.probes.map((p) =>
        element("probes", p.name, {
          protocol: p.protocol,
          port: p.port,
          ...(p.requestPath ? { requestPath: p.requestPath } : {}),
          intervalInSeconds: 5,
          numberOfProbes: 1,
          probeThreshold: 1,
          loadBalancingRules: refs(ruleIdsWhere((r) => r.probe === p.name)),
        }),
      ),
      inboundNatRules: [],
      outboundRules: spec.outboundRules.map((o) =>
        element("outboundRules", o.name, {
          allocatedOutboundPorts: o.allocatedOutboundPorts,
          protocol: "All",
          enableTcpReset: true,
          idleTimeoutInMinutes: 30,
          backendAddressPool: { id: sub("backendAddressPools", o.pool) },
          frontendIPConfigurations: refs(o.frontends.map((f) => sub("frontendIPConfigurations", f))),
        }),
      ),
      inboundNatPools: [],
    },
    sku: { name: "Standard", tier: "Regional" },
  };
}

/** A site published through the gateway: one pool (by FQDN), settings, probe, listener and rule. */
export interface GatewaySite {
  name: string;
  /** The backend's FQDN: the web app's default host name. */
  backendFqdn: string;
  /** The public host name the listener answers. */
  hostName: string;
}

/** The id of application gateway `name`. */
export function applicationGatewayId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, NET, "applicationGateways", name);
}

/** A WAF_v2 application gateway publishing web apps by FQDN. */
export function applicationGateway(
  at: Placement,
  opts: {
    zones: string[];
    identityId: string;
    identity: { principalId: string; clientId: string };
    subnetId: string;
    publicIpId: string;
    firewallPolicyId: string;
    certificateSecretId: string;
    sites: GatewaySite[];
  },
): ArmResource {
  const id = applicationGatewayId(at.sub, at.rg, at.name);
  const sub = (kind: string, name: string): string => childId(id, kind, name);
  const element = (kind: string, name: string, properties: Record<string, unknown>): Record<string, unknown> => ({
    name,
    id: sub(kind, name),
    etag: weakEtag(sub(kind, name)),
    properties: { provisioningState: "Succeeded", ...properties },
    type: `Microsoft.Network/applicationGateways/${kind}`,
  });
  const frontend = "appGwPublicFrontendIp";
  return {
    name: at.name,
    id,
    etag: weakEtag(id),
    type: "Microsoft.Network/applicationGateways",
    location: at.location,
    tags: at.tags ?? {},
    zones: opts.zones,
    identity: { type: "UserAssigned", userAssignedIdentities: { [opts.identityId]: opts.identity } },
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: guidFrom(`guid:${id}`),
      sku: { name: "WAF_v2", tier: "WAF_v2", family: "Generation_2" },
      operationalState: "Running",
      gatewayIPConfigurations: [element("gatewayIPConfigurations", "appGatewayIpConfig", { subnet: { id: opts.subnetId } })],
      sslCertificates: [
        element("sslCertificates", "wildcard-contoso-com", {
          keyVaultSecretId: opts.certificateSecretId,
          httpListeners: refs(opts.sites.map((s) => sub("httpListeners", `listener-${s.name}`))),
        }),
      ],
      trustedRootCertificates: [],
      trustedClientCertificates: [],
      authenticationCertificates: [],
      frontendIPConfigurations: [
        element("frontendIPConfigurations", frontend, {
          privateIPAllocationMethod: "Dynamic",
          publicIPAddress: { id: opts.publicIpId },
          httpListeners: refs(opts.sites.map((s) => sub("httpListeners", `listener-${s.name}`))),
        }),
      ],
      frontendPorts: [
        element("frontendPorts", "port_443", {
          port: 443,
          httpListeners: refs(opts.sites.map((s) => sub("httpListeners", `listener-${s.name}`))),
        }),
      ],
      backendAddressPools: opts.sites.map((s) =>
        element("backendAddressPools", `pool-${s.name}`, {
          backendAddresses: [{ fqdn: s.backendFqdn }],
          requestRoutingRules: [{ id: sub("requestRoutingRules", `rule-${s.name}`) }],
        }),
      ),
      loadDistributionPolicies: [],
      backendHttpSettingsCollection: opts.sites.map((s) =>
        element("backendHttpSettingsCollection", `https-${s.name}`, {
          port: 443,
          protocol: "Https",
          cookieBasedAffinity: "Disabled",
          pickHostNameFromBackendAddress: true,
          requestTimeout: 30,
          probe: { id: sub("probes", `probe-${s.name}`) },
          requestRoutingRules: [{ id: sub("requestRoutingRules", `rule-${s.name}`) }],
        }),
      ),
      backendSettingsCollection: [],
      httpListeners: opts.sites.map((s) =>
        element("httpListeners", `listener-${s.name}`, {
          frontendIPConfiguration: { id: sub("frontendIPConfigurations", frontend) },
          frontendPort: { id: sub("frontendPorts", "port_443") },
          protocol: "Https",
          sslCertificate: { id: sub("sslCertificates", "wildcard-contoso-com") },
          hostName: s.hostName,
          hostNames: [],
          requireServerNameIndication: true,
          enableHttp3: false,
          requestRoutingRules: [{ id: sub("requestRoutingRules", `rule-${s.name}`) }],
        }),
      ),
      listeners: [],
      urlPathMaps: [],
      requestRoutingRules: opts.sites.map((s, i) =>
        element("requestRoutingRules", `rule-${s.name}`, {
          ruleType: "Basic",
          priority: 100 + i * 10,
          httpListener: { id: sub("httpListeners", `listener-${s.name}`) },
          backendAddressPool: { id: sub("backendAddressPools", `pool-${s.name}`) },
          backendHttpSettings: { id: sub("backendHttpSettingsCollection", `https-${s.name}`) },
        }),
      ),
      routingRules: [],
      probes: opts.sites.map((s) =>
        element("probes", `probe-${s.name}`, {
          protocol: "Https",
          path: "/healthz",
          interval: 30,
          timeout: 30,
          unhealthyThreshold: 3,
          pickHostNameFromBackendHttpSettings: true,
          minServers: 0,
          match: { statusCodes: ["200-399"] },
          backendHttpSettings: [{ id: sub("backendHttpSettingsCollection", `https-${s.name}`) }],
        }),
      ),
      rewriteRuleSets: [],
      redirectConfigurations: [],
      privateLinkConfigurations: [],
      privateEndpointConnections: [],
      sslPolicy: { policyType: "Predefined", policyName: "AppGwSslPolicy20220101" },
      enableHttp2: true,
      firewallPolicy: { id: opts.firewallPolicyId },
      autoscaleConfiguration: { minCapacity: 2, maxCapacity: 10 },
    },
  };
}

/** The id of WAF policy `name`. */
export function wafPolicyId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, NET, "ApplicationGatewayWebApplicationFirewallPolicies", name);
}

/** A WAF policy; `applicationGateways` is its back-reference list. */
export function wafPolicy(at: Placement, applicationGateways: string[]): ArmResource {
  const id = wafPolicyId(at.sub, at.rg, at.name);
  return {
    name: at.name,
    id,
    type: "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies",
    location: at.location,
    tags: at.tags ?? {},
    etag: weakEtag(id),
    properties: {
      provisioningState: "Succeeded",
      resourceState: "Enabled",
      policySettings: {
        requestBodyCheck: true,
        maxRequestBodySizeInKb: 128,
        fileUploadLimitInMb: 100,
        state: "Enabled",
        mode: "Prevention",
        requestBodyInspectLimitInKB: 128,
        fileUploadEnforcement: true,
        requestBodyEnforcement: true,
      },
      customRules: [],
      managedRules: {
        managedRuleSets: [{ ruleSetType: "Microsoft_DefaultRuleSet", ruleSetVersion: "2.1", ruleGroupOverrides: [] }],
        exclusions: [],
      },
      applicationGateways: refs(applicationGateways),
      httpListeners: [],
      pathBasedRules: [],
    },
  };
}
