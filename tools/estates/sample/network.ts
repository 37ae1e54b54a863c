// Builders for Microsoft.Network resources, shaped like the network RP's GET responses
// (VirtualNetworkGet, SubnetGetWithDelegation, NetworkInterfaceGet, NetworkSecurityGroupGet,
// PublicIpAddressGet, LoadBalancerGet, ApplicationGatewayGet, PrivateEndpointGet, RouteTableGet,
// PrivateZoneGet). Back-reference lists (an NSG's `subnets`, a public IP's `ipConfiguration`, a
// subnet's `ipConfigurations`) are passed in explicitly so the composition states them once.
import type { ArmResource } from "../schema.js";
import { childId, guidFrom, macFrom, resourceId, weakEtag } from "./ids.js";

type Tags = Record<string, string>;
const NET = "Microsoft.Network";
const refs = (ids: readonly string[]): { id: string }[] => ids.map((id) => ({ id }));
const lastSegment = (id: string): string => id.slice(id.lastIndexOf("/") + 1);

/** Where a top-level resource lives. */
export interface Placement {
  sub: string;
  rg: string;
  name: string;
  location: string;
  tags?: Tags;
}

/** A subnet as its own entry and as embedded in its virtual network. */
export interface SubnetSpec {
  /** The subnet's own id (`…/virtualNetworks/{vnet}/subnets/{name}`). */
  id: string;
  addressPrefix: string;
  networkSecurityGroupId?: string;
  routeTableId?: string;
  /** Service the subnet is delegated to, e.g. `Microsoft.Web/serverFarms`. */
  delegation?: string;
  /** App Service plan holding the subnet through a service association link (back-reference). */
  serviceAssociationLinkTo?: string;
  serviceEndpoints?: string[];
  /** ipConfiguration ids that sit in the subnet (back-references). */
  ipConfigurations?: string[];
  /** Private endpoints in the subnet (back-references). */
  privateEndpoints?: string[];
  /** Application gateway IP configurations in the subnet (back-references). */
  applicationGatewayIPConfigurations?: string[];
  privateEndpointNetworkPolicies?: "Disabled" | "Enabled" | "NetworkSecurityGroupEnabled";
}

/** A `Microsoft.Network/virtualNetworks/subnets` object (the same object is embedded in the vnet). */
export function subnet(spec: SubnetSpec): ArmResource {
  const properties: Record<string, unknown> = { addressPrefix: spec.addressPrefix };
  if (spec.networkSecurityGroupId) properties.networkSecurityGroup = { id: spec.networkSecurityGroupId };
  if (spec.routeTableId) properties.routeTable = { id: spec.routeTableId };
  if (spec.ipConfigurations?.length) properties.ipConfigurations = refs(spec.ipConfigurations);
  if (spec.privateEndpoints?.length) properties.privateEndpoints = refs(spec.privateEndpoints);
  if (spec.applicationGatewayIPConfigurations?.length) {
    properties.applicationGatewayIPConfigurations = refs(spec.applicationGatewayIPConfigurations);
  }
  if (spec.serviceAssociationLinkTo) {
    const salId = childId(spec.id, "serviceAssociationLinks", "AppServiceLink");
    properties.serviceAssociationLinks = [
      {
        name: "AppServiceLink",
        id: salId,
        etag: weakEtag(salId),
        type: "Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks",
        properties: {
          provisioningState: "Succeeded",
          linkedResourceType: "Microsoft.Web/serverfarms",
          link: spec.serviceAssociationLinkTo,
          enabledForVnetInjection: false,
          allowDelete: false,
          locations: [],
        },
      },
    ];
  }
  properties.serviceEndpoints = (spec.serviceEndpoints ?? []).map((service) => ({
    provisioningState: "Succeeded",
    service,
    locations: ["*"],
  }));
  properties.delegations = spec.delegation
    ? [
        {
          name: "delegation",
          id: childId(spec.id, "delegations", "delegation"),
          etag: weakEtag(childId(spec.id, "delegations", "delegation")),
          properties: {
            provisioningState: "Succeeded",
            serviceName: spec.delegation,
            actions: ["Microsoft.Network/virtualNetworks/subnets/action"],
          },
          type: "Microsoft.Network/virtualNetworks/subnets/delegations",
        },
      ]
    : [];
  properties.provisioningState = "Succeeded";
  properties.privateEndpointNetworkPolicies = spec.privateEndpointNetworkPolicies ?? "Disabled";
  properties.privateLinkServiceNetworkPolicies = "Enabled";
  return {
    name: lastSegment(spec.id),
    id: spec.id,
    etag: weakEtag(spec.id),
    properties,
    type: "Microsoft.Network/virtualNetworks/subnets",
  };
}

/** The id a subnet named `name` gets inside the virtual network `vnetId`. */
export function subnetId(vnetId: string, name: string): string {
  return childId(vnetId, "subnets", name);
}

/** A virtual network embedding its subnets (the same objects that are listed as their own entries). */
export function virtualNetwork(at: Placement, addressPrefixes: string[], subnets: ArmResource[]): ArmResource {
  const id = resourceId(at.sub, at.rg, NET, "virtualNetworks", at.name);
  return {
    name: at.name,
    id,
    etag: weakEtag(id),
    type: "Microsoft.Network/virtualNetworks",
    location: at.location,
    tags: at.tags ?? {},
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: guidFrom(`guid:${id}`),
      addressSpace: { addressPrefixes },
      dhcpOptions: { dnsServers: [] },
      subnets,
      virtualNetworkPeerings: [],
      enableDdosProtection: false,
      privateEndpointVNetPolicies: "Disabled",
    },
  };
}

/** One custom security rule. */
export interface SecurityRuleSpec {
  name: string;
  priority: number;
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny";
  protocol: "Tcp" | "Udp" | "*";
  sourceAddressPrefix: string;
  destinationPortRange: string;
  destinationAddressPrefix?: string;
  description?: string;
}

const DEFAULT_RULES: readonly (Omit<SecurityRuleSpec, "destinationPortRange"> & { description: string })[] = [
  {
    name: "AllowVnetInBound",
    description: "Allow inbound traffic from all VMs in VNET",
    protocol: "*",
    sourceAddressPrefix: "VirtualNetwork",
    destinationAddressPrefix: "VirtualNetwork",
    access: "Allow",
    priority: 65000,
    direction: "Inbound",
  },
  {
    name: "AllowAzureLoadBalancerInBound",
    description: "Allow inbound traffic from azure load balancer",
    protocol: "*",
    sourceAddressPrefix: "AzureLoadBalancer",
    destinationAddressPrefix: "*",
    access: "Allow",
    priority: 65001,
    direction: "Inbound",
  },
  {
    name: "DenyAllInBound",
    description: "Deny all inbound traffic",
    protocol: "*",
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    access: "Deny",
    priority: 65500,
    direction: "Inbound",
  },
  {
    name: "AllowVnetOutBound",
    description: "Allow outbound traffic from all VMs to all VMs in VNET",
    protocol: "*",
    sourceAddressPrefix: "VirtualNetwork",
    destinationAddressPrefix: "VirtualNetwork",
    access: "Allow",
    priority: 65000,
    direction: "Outbound",
  },
  {
    name: "AllowInternetOutBound",
    description: "Allow outbound traffic from all VMs to Internet",
    protocol: "*",
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "Internet",
    access: "Allow",
    priority: 65001,
    direction: "Outbound",
  },
  {
    name: "DenyAllOutBound",
    description: "Deny all outbound traffic",
    protocol: "*",
    sourceAddressPrefix: "*",
    destinationAddressPrefix: "*",
    access: "Deny",
    priority: 65500,
    direction: "Outbound",
  },
];

function securityRule(nsgId: string, kind: "securityRules" | "defaultSecurityRules", rule: SecurityRuleSpec): Record<string, unknown> {
  const id = childId(nsgId, kind, rule.name);
  return {
    name: rule.name,
    id,
    etag: weakEtag(id),
    type: `Microsoft.Network/networkSecurityGroups/${kind}`,
    properties: {
      provisioningState: "Succeeded",
      ...(rule.description ? { description: rule.description } : {}),
      protocol: rule.protocol,
      sourcePortRange: "*",
      destinationPortRange: rule.destinationPortRange,
      sourceAddressPrefix: rule.sourceAddressPrefix,
      destinationAddressPrefix: rule.destinationAddressPrefix ?? "*",
      access: rule.access,
      priority: rule.priority,
      direction: rule.direction,
      sourcePortRanges: [],
      destinationPortRanges: [],
      sourceAddressPrefixes: [],
      destinationAddressPrefixes: [],
    },
  };
}

/** The id of network security group `name`. */
export function nsgId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, NET, "networkSecurityGroups", name);
}

/** A network security group; `subnets` and `networkInterfaces` are its back-reference lists. */
export function networkSecurityGroup(
  at: Placement,
  rules: SecurityRuleSpec[],
  users: { subnets?: string[]; networkInterfaces?: string[] },
): ArmResource {
  const id = nsgId(at.sub, at.rg, at.name);
  const properties: Record<string, unknown> = {
    provisioningState: "Succeeded",
    resourceGuid: guidFrom(`guid:${id}`),
    securityRules: rules.map((r) => securityRule(id, "securityRules", r)),
    defaultSecurityRules: DEFAULT_RULES.map((r) => securityRule(id, "defaultSecurityRules", { ...r, destinationPortRange: "*" })),
  };
  if (users.subnets?.length) properties.subnets = refs(users.subnets);
  if (users.networkInterfaces?.length) properties.networkInterfaces = refs(users.networkInterfaces);
  return {
    name: at.name,
    id,
    etag: weakEtag(id),
    type: "Microsoft.Network/networkSecurityGroups",
    location: at.location,
    tags: at.tags ?? {},
    properties,
  };
}

/** The id of route table `name`. */
export function routeTableId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, NET, "routeTables", name);
}

/** A route table with user-defined routes; `subnets` is its back-reference list. */
export function routeTable(
  at: Placement,
  routes: { name: string; addressPrefix: string; nextHopType: string; nextHopIpAddress?: string }[],
  subnets: string[],
): ArmResource {
  const id = routeTableId(at.sub, at.rg, at.name);
  return {
    name: at.name,
    id,
    etag: weakEtag(id),
    type: "Microsoft.Network/routeTables",
    location: at.location,
    tags: at.tags ?? {},
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: guidFrom(`guid:${id}`),
      disableBgpRoutePropagation: true,
      routes: routes.map((r) => {
        const routeId = childId(id, "routes", r.name);
        return {
          name: r.name,
          id: routeId,
          etag: weakEtag(routeId),
          properties: {
            provisioningState: "Succeeded",
            addressPrefix: r.addressPrefix,
            nextHopType: r.nextHopType,
            ...(r.nextHopIpAddress ? { nextHopIpAddress: r.nextHopIpAddress } : {}),
            hasBgpOverride: false,
          },
          type: "Microsoft.Network/routeTables/routes",
        };
      }),
      subnets: refs(subnets),
    },
  };
}

/** The id of public IP address `name`. */
export function publicIpId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, NET, "publicIPAddresses", name);
}

/** A Standard static public IP; `ipConfiguration` is the back-reference to whatever uses it. */
export function publicIpAddress(
  at: Placement,
  opts: { ipAddress: string; zones?: string[]; domainNameLabel?: string; ipConfiguration?: string },
): ArmResource {
  const id = publicIpId(at.sub, at.rg, at.name);
  const properties: Record<string, unknown> = {
    provisioningState: "Succeeded",
    resourceGuid: guidFrom(`guid:${id}`),
    ipAddress: opts.ipAddress,
    publicIPAddressVersion: "IPv4",
    publicIPAllocationMethod: "Static",
    idleTimeoutInMinutes: 4,
  };
  if (opts.domainNameLabel) {
    properties.dnsSettings = {
      domainNameLabel: opts.domainNameLabel,
      fqdn: `${opts.domainNameLabel}.${at.location}.cloudapp.azure.com`,
    };
  }
  properties.ipTags = [];
  if (opts.ipConfiguration) properties.ipConfiguration = { id: opts.ipConfiguration };
  properties.ddosSettings = { protectionMode: "VirtualNetworkInherited" };
  return {
    name: at.name,
    id,
    etag: weakEtag(id),
    location: at.location,
    tags: at.tags ?? {},
    zones: opts.zones ?? ["1", "2", "3"],
    sku: { name: "Standard", tier: "Regional" },
    type: "Microsoft.Network/publicIPAddresses",
    properties,
  };
}

/** One IP configuration of a network interface. */
export interface NicIpConfigSpec {
  name: string;
  privateIPAddress: string;
  subnetId: string;
  publicIpId?: string;
  /** Load balancer backend pools this configuration joins (back-references to the pools). */
  loadBalancerBackendAddressPools?: string[];
  /** Set on a private endpoint's NIC. */
  privateLinkConnection?: { groupId: string; requiredMemberName: string; fqdns: string[] };
}

/** The id of network interface `name`. */
export function nicId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, NET, "networkInterfaces", name);
}

/** The id of an IP configuration of a network interface. */
export function nicIpConfigId(nic: string, name = "ipconfig1"): string {
  return childId(nic, "ipConfigurations", name);
}

/**
 * A network interface. `virtualMachine` and `privateEndpoint` are back-references the RP fills in
 * for the VM or private endpoint that owns the NIC.
 */
export function networkInterface(
  at: Placement,
  opts: {
    ipConfigurations: NicIpConfigSpec[];
    networkSecurityGroupId?: string;
    virtualMachine?: string;
    privateEndpoint?: string;
    acceleratedNetworking?: boolean;
  },
): ArmResource {
  const id = nicId(at.sub, at.rg, at.name);
  const managedByPe = opts.privateEndpoint !== undefined;
  const properties: Record<string, unknown> = {
    provisioningState: "Succeeded",
    resourceGuid: guidFrom(`guid:${id}`),
    ipConfigurations: opts.ipConfigurations.map((c, i) => {
      const cfgId = nicIpConfigId(id, c.name);
      const p: Record<string, unknown> = {
        provisioningState: "Succeeded",
        privateIPAddress: c.privateIPAddress,
        privateIPAllocationMethod: managedByPe ? "Dynamic" : "Static",
      };
      if (c.publicIpId) p.publicIPAddress = { id: c.publicIpId };
      p.subnet = { id: c.subnetId };
      p.primary = i === 0;
      p.privateIPAddressVersion = "IPv4";
      if (c.loadBalancerBackendAddressPools?.length) p.loadBalancerBackendAddressPools = refs(c.loadBalancerBackendAddressPools);
      if (c.privateLinkConnection) p.privateLinkConnectionProperties = c.privateLinkConnection;
      return {
        name: c.name,
        id: cfgId,
        etag: weakEtag(cfgId),
        type: "Microsoft.Network/networkInterfaces/ipConfigurations",
        properties: p,
      };
    }),
    dnsSettings: {
      dnsServers: [],
      appliedDnsServers: [],
      internalDomainNameSuffix: `${guidFrom(`dns:${at.sub}`).slice(0, 20).replace(/-/g, "")}.ax.internal.cloudapp.net`,
    },
    macAddress: managedByPe ? "" : macFrom(`mac:${id}`),
    vnetEncryptionSupported: false,
    enableIPForwarding: false,
    disableTcpStateTracking: false,
  };
  if (opts.networkSecurityGroupId) properties.networkSecurityGroup = { id: opts.networkSecurityGroupId };
  properties.primary = true;
  if (opts.virtualMachine) properties.virtualMachine = { id: opts.virtualMachine };
  if (opts.privateEndpoint) properties.privateEndpoint = { id: opts.privateEndpoint };
  properties.hostedWorkloads = [];
  properties.tapConfigurations = [];
  properties.nicType = "Standard";
  properties.allowPort25Out = false;
  properties.auxiliaryMode = "None";
  properties.auxiliarySku = "None";
  properties.enableAcceleratedNetworking = opts.acceleratedNetworking ?? false;
  return {
    name: at.name,
    id,
    etag: weakEtag(id),
    type: "Microsoft.Network/networkInterfaces",
    location: at.location,
    tags: at.tags ?? {},
    kind: "Regular",
    properties,
  };
}

/** The id of private endpoint `name`. */
export function privateEndpointId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, NET, "privateEndpoints", name);
}

/** A private endpoint to `targetId` (group `groupId`) with its RP-created NIC. */
export function privateEndpoint(
  at: Placement,
  opts: { subnetId: string; targetId: string; groupId: string; nicId: string; customDns: { fqdn: string; ip: string }[] },
): ArmResource {
  const id = privateEndpointId(at.sub, at.rg, at.name);
  const connId = childId(id, "privateLinkServiceConnections", at.name);
  return {
    name: at.name,
    id,
    etag: weakEtag(id),
    type: "Microsoft.Network/privateEndpoints",
    location: at.location,
    tags: at.tags ?? {},
    properties: {
      provisioningState: "Succeeded",
      resourceGuid: guidFrom(`guid:${id}`),
      privateLinkServiceConnections: [
        {
          name: at.name,
          id: connId,
          etag: weakEtag(connId),
          properties: {
            provisioningState: "Succeeded",
            privateLinkServiceId: opts.targetId,
            groupIds: [opts.groupId],
            privateLinkServiceConnectionState: { status: "Approved", description: "Auto-Approved", actionsRequired: "None" },
          },
          type: "Microsoft.Network/privateEndpoints/privateLinkServiceConnections",
        },
      ],
      manualPrivateLinkServiceConnections: [],
      customNetworkInterfaceName: "",
      subnet: { id: opts.subnetId },
      ipConfigurations: [],
      networkInterfaces: [{ id: opts.nicId }],
      customDnsConfigs: opts.customDns.map((d) => ({ fqdn: d.fqdn, ipAddresses: [d.ip] })),
    },
  };
}

/** The id of private DNS zone `name`. */
export function privateDnsZoneId(sub: string, rg: string, name: string): string {
  return resourceId(sub, rg, NET, "privateDnsZones", name);
}

/** A private DNS zone (global). */
export function privateDnsZone(at: Placement, records: number, links: number): ArmResource {
  const id = privateDnsZoneId(at.sub, at.rg, at.name);
  return {
    id,
    name: at.name,
    type: "Microsoft.Network/privateDnsZones",
    etag: guidFrom(`etag:${id}`),
    location: "global",
    tags: at.tags ?? {},
    properties: {
      internalId: Buffer.from(`SubscriptionId=${at.sub};ResourceGroupName=${at.rg};Name=${at.name}`).toString("base64"),
      maxNumberOfRecordSets: 25000,
      maxNumberOfVirtualNetworkLinks: 1000,
      maxNumberOfVirtualNetworkLinksWithRegistration: 100,
      numberOfRecordSets: records,
      numberOfVirtualNetworkLinks: links,
      numberOfVirtualNetworkLinksWithRegistration: 0,
      provisioningState: "Succeeded",
    },
  };
}

/** A private DNS zone's link to a virtual network (child `privateDnsZones/virtualNetworkLinks`). */
export function privateDnsZoneLink(zoneId: string, name: string, vnetId: string): ArmResource {
  const id = childId(zoneId, "virtualNetworkLinks", name);
  return {
    id,
    name,
    type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
    etag: `"${guidFrom(`etag:${id}`)}"`,
    location: "global",
    properties: {
      provisioningState: "Succeeded",
      registrationEnabled: false,
      resolutionPolicy: "Default",
      virtualNetwork: { id: vnetId },
      virtualNetworkLinkState: "Completed",
    },
  };
}

/** A network watcher (one per region, in NetworkWatcherRG). */
export function networkWatcher(at: Placement): ArmResource {
  const id = resourceId(at.sub, at.rg, NET, "networkWatchers", at.name);
  return {
    name: at.name,
    id,
    etag: weakEtag(id),
    type: "Microsoft.Network/networkWatchers",
    location: at.location,
    properties: { provisioningState: "Succeeded" },
  };
}

/**
 * One entry of a target's `privateEndpointConnections` (SQL, Key Vault, storage, registry): a
 * back-reference to the private endpoint that connects to it.
 */
export function privateEndpointConnection(targetId: string, peId: string, type: string): Record<string, unknown> {
  const name = `${lastSegment(peId)}.${guidFrom(`pec:${peId}`)}`;
  const id = childId(targetId, "privateEndpointConnections", name);
  return {
    id,
    name,
    type,
    etag: weakEtag(id),
    properties: {
      provisioningState: "Succeeded",
      privateEndpoint: { id: peId },
      privateLinkServiceConnectionState: { status: "Approved", description: "Auto-Approved", actionsRequired: "None" },
    },
  };
}
