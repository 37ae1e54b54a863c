/**
 * The edge rules, as data. Each says how a reference found in a payload becomes an edge:
 * which references point back at their dependent (and so are reversed), and which relation a
 * reference carries. Extend the tables; don't add branches to the code that reads them.
 */

/** The relation labels of contracts.md section 3. */
export type Relation = "contains" | "network" | "hosting" | "data" | "identity" | "security" | "monitoring" | "reference";

/**
 * Back-references: a holder listing what uses it. The edge goes from the referenced resource to
 * the holder. Keyed by the holder's lower-cased type (`*` for any type); each entry is a path
 * relative to the holder's object with array indices written `[*]` and object keys `[key]`, or a
 * pattern over such paths.
 */
export const backReferences: Record<string, ReadonlyArray<string | RegExp>> = {
  "*": [
    // A disk's or any managed resource's manager depends on it.
    "managedBy",
    // A private endpoint connection listed on its target: the endpoint depends on the target.
    "properties.privateEndpointConnections[*].properties.privateEndpoint.id",
    "properties.privateEndpointConnections[*].id",
    // A member naming the pool or NAT rule it belongs to: the balancer depends on its members,
    // wherever the member's ip configuration sits (NIC, scale set profile).
    /(^|\.)(loadBalancerBackendAddressPools|applicationGatewayBackendAddressPools|loadBalancerInboundNatRules|loadBalancerInboundNatPools)\[\*\]\.id$/,
    // Application Insights tags `hidden-link:<id>` name the resource it watches.
    "tags[key]",
  ],
  "microsoft.network/networksecuritygroups": ["properties.subnets[*].id", "properties.networkInterfaces[*].id"],
  "microsoft.network/routetables": ["properties.subnets[*].id"],
  "microsoft.network/natgateways": ["properties.subnets[*].id"],
  "microsoft.network/publicipaddresses": ["properties.ipConfiguration.id", "properties.natGateway.id"],
  "microsoft.network/virtualnetworks/subnets": [
    "properties.ipConfigurations[*].id",
    "properties.ipConfigurationProfiles[*].id",
    "properties.privateEndpoints[*].id",
    "properties.serviceAssociationLinks[*].properties.link",
    "properties.resourceNavigationLinks[*].properties.link",
    "properties.applicationGatewayIPConfigurations[*].id",
  ],
  "microsoft.network/networkinterfaces": [
    "properties.virtualMachine.id",
    "properties.privateEndpoint.id",
    "properties.privateLinkService.id",
  ],
  "microsoft.network/applicationsecuritygroups": ["properties.ipConfigurations[*].id"],
  "microsoft.network/applicationgatewaywebapplicationfirewallpolicies": [
    "properties.applicationGateways[*].id",
    "properties.httpListeners[*].id",
    "properties.pathBasedRules[*].id",
  ],
  "microsoft.network/frontdoorwebapplicationfirewallpolicies": [
    "properties.frontendEndpointLinks[*].id",
    "properties.routingRuleLinks[*].id",
    "properties.securityPolicyLinks[*].id",
  ],
  "microsoft.compute/availabilitysets": ["properties.virtualMachines[*].id"],
  "microsoft.compute/proximityplacementgroups": [
    "properties.virtualMachines[*].id",
    "properties.availabilitySets[*].id",
    "properties.virtualMachineScaleSets[*].id",
  ],
};

/** Object-key prefixes that hide a reference: the id follows the prefix. */
export const referenceKeyPrefixes: readonly string[] = ["hidden-link:"];

/**
 * Where a resource names its own host names; a string elsewhere equal to one of them (an
 * application gateway's backend `fqdn`, say) is a reference to that resource.
 */
export const hostNameFields: readonly string[] = [
  "properties.defaultHostName",
  "properties.hostNames[*]",
  "properties.hostName",
  "properties.fqdn",
  "properties.dnsSettings.fqdn",
  "properties.fullyQualifiedDomainName",
  "properties.loginServer",
];

/**
 * Where a host name is a pointer to another resource (a gateway's backend, a Front Door backend,
 * a Traffic Manager endpoint). Elsewhere host names are descriptive, not dependencies.
 */
export const hostNameReferencePaths: readonly RegExp[] = [
  /(^|\.)backendAddresses\[\*\]\.fqdn$/,
  /(^|\.)backends\[\*\]\.address$/,
  /(^|\.)endpoints\[\*\]\.properties\.target$/,
];

/**
 * Relation by the holder's type, checked first: a holder whose every reference means the same
 * thing (an alert watches what it names; a dashboard only shows it).
 */
export const relationByHolderType: Record<string, Relation> = {
  "microsoft.insights/metricalerts": "monitoring",
  "microsoft.insights/scheduledqueryrules": "monitoring",
  "microsoft.insights/activitylogalerts": "monitoring",
  "microsoft.insights/diagnosticsettings": "monitoring",
  "microsoft.insights/datacollectionruleassociations": "monitoring",
  "microsoft.alertsmanagement/*": "monitoring",
  "microsoft.portal/dashboards": "reference",
};

/**
 * Relation of a reference by the target's type. A key is a lower-cased type, or a provider
 * namespace followed by `/*`; the most specific match wins.
 */
export const relationByTargetType: Record<string, Relation> = {
  "microsoft.network/*": "network",
  "microsoft.network/networksecuritygroups": "security",
  "microsoft.network/applicationsecuritygroups": "security",
  "microsoft.network/azurefirewalls": "security",
  "microsoft.network/firewallpolicies": "security",
  "microsoft.network/ddosprotectionplans": "security",
  "microsoft.network/applicationgatewaywebapplicationfirewallpolicies": "security",
  "microsoft.network/frontdoorwebapplicationfirewallpolicies": "security",
  "microsoft.keyvault/*": "security",
  "microsoft.managedidentity/*": "identity",
  "microsoft.web/serverfarms": "hosting",
  "microsoft.web/hostingenvironments": "hosting",
  "microsoft.app/managedenvironments": "hosting",
  "microsoft.compute/*": "hosting",
  "microsoft.containerservice/*": "hosting",
  "microsoft.containerinstance/*": "hosting",
  "microsoft.containerregistry/*": "data",
  "microsoft.sql/*": "data",
  "microsoft.storage/*": "data",
  "microsoft.documentdb/*": "data",
  "microsoft.cache/*": "data",
  "microsoft.servicebus/*": "data",
  "microsoft.eventhub/*": "data",
  "microsoft.eventgrid/*": "data",
  "microsoft.dbforpostgresql/*": "data",
  "microsoft.dbformysql/*": "data",
  "microsoft.search/*": "data",
  "microsoft.operationalinsights/*": "monitoring",
  "microsoft.insights/*": "monitoring",
  "microsoft.alertsmanagement/*": "monitoring",
  "microsoft.monitor/*": "monitoring",
  "microsoft.dashboard/*": "monitoring",
};

/** Relation of a reference by where it sits in the holder's payload; checked before the target type. */
export const relationByPath: ReadonlyArray<{ path: RegExp; relation: Relation }> = [
  { path: /^identity\.userAssignedIdentities\[/i, relation: "identity" },
  { path: /^tags\[/i, relation: "monitoring" },
  // A private endpoint carries data to its target, whatever the target is.
  { path: /(^|\.)(privateLinkServiceConnections|manualPrivateLinkServiceConnections|privateEndpointConnections)\[/i, relation: "data" },
  // Balancers and gateways reach their members over the network.
  { path: /(^|\.)(backendAddressPools|backendAddresses|backendIPConfigurations|loadBalancerBackendAddressPools|applicationGatewayBackendAddressPools|inboundNatRules|loadBalancerInboundNatRules)(\[|\.|$)/i, relation: "network" },
  { path: /(^|\.)(identityProfile|userAssignedIdentity|keyVaultReferenceIdentity)(\.|\[|$)/i, relation: "identity" },
  { path: /(^|\.)(diagnosticSettings|workspaceResourceId|logAnalyticsWorkspaceResourceID)(\.|\[|$)/i, relation: "monitoring" },
];

/**
 * Child types that are nodes even when they only appear embedded in their parent's payload
 * (contracts.md: "Subnets are nodes"). Other embedded children (ip configurations, rules, pools)
 * resolve to their parent.
 */
export const embeddedNodeTypes: ReadonlySet<string> = new Set(["microsoft.network/virtualnetworks/subnets"]);
