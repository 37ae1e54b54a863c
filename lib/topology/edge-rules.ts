/**
 * The edge rules, as data. Each says how a reference found in a payload becomes an edge:
 * which references point back at their dependent (and so are reversed), and which relation a
 * reference carries. Extend the tables; don't add branches to the code that reads them.
 */

/** The relation labels of docs/interfaces.md section 3. */
export type Relation = "contains" | "network" | "hosting" | "data" | "identity" | "security" | "monitoring" | "reference";

/**
 * How an edge's direction was decided (docs/interfaces.md section 3 keeps `from` depends on `to`):
 * - `containment`: the id hierarchy (a child depends on its parent);
 * - `writable`: the dependent's own writable property names the dependency (a subnet's
 *   `networkSecurityGroup.id`), per the provider's API metadata;
 * - `read-only mirror`: the dependency lists the dependent in a property the provider fills in
 *   itself (an NSG's `subnets`), per the provider's API metadata (generated/back-references.json);
 * - `rule`: a hand-written rule below, where the metadata is silent or misleading;
 * - `inferred`: no metadata covers the holder's type, so the reference is taken to point at a
 *   dependency, as a payload's own references usually do.
 */
export type Direction = "containment" | "writable" | "read-only mirror" | "rule" | "inferred";

/**
 * Back-references the API metadata cannot name: a holder listing what uses it, in a property the
 * definitions declare writable or do not declare at all. The edge goes from the referenced
 * resource to the holder. Keyed by the holder's lower-cased type (`*` for any type); each entry is
 * a path relative to the holder's object with array indices written `[*]` and object keys
 * `[key]`, or a pattern over such paths. Read-only listings (an NSG's `subnets`, a public IP's
 * `ipConfiguration`, a NIC's `virtualMachine`) come from the generated table instead.
 */
export const backReferences: Record<string, ReadonlyArray<string | RegExp>> = {
  "*": [
    // ARM's resource envelope carries `managedBy` on any type, and most models do not declare it:
    // the manager (a VM for its disk, a managed application) depends on the resource.
    "managedBy",
    // Azure's private link contract, the same on every type that offers it, including types no
    // installed package describes: the target lists the endpoints connected to it.
    "properties.privateEndpointConnections[*].properties.privateEndpoint.id",
    "properties.privateEndpointConnections[*].id",
    // A member naming the pool or NAT rule it belongs to (writable on the member's side): the
    // balancer depends on its members, wherever the member's ip configuration sits (NIC, scale set
    // profile), so a member's failure reaches the entry point in blast-radius queries.
    /(^|\.)(loadBalancerBackendAddressPools|applicationGatewayBackendAddressPools|loadBalancerInboundNatRules|loadBalancerInboundNatPools)\[\*\]\.id$/,
    // Application Insights tags `hidden-link:<id>` name the resource it watches (tags are writable).
    "tags[key]",
  ],
  // Declared writable, but Azure fills it in from the NAT gateway's `publicIpAddresses`.
  "microsoft.network/publicipaddresses": ["properties.natGateway.id"],
  // Declared writable, but filled in by the application gateways placed in the subnet.
  "microsoft.network/virtualnetworks/subnets": ["properties.applicationGatewayIPConfigurations[*].id"],
  // Declared writable, but filled in for the NICs a private link service creates.
  "microsoft.network/networkinterfaces": ["properties.privateLinkService.id"],
  // Not declared by the current model, so the metadata cannot say; the group's members' ip
  // configurations, listed on the group, depend on it.
  "microsoft.network/applicationsecuritygroups": ["properties.ipConfigurations[*].id"],
  // Declared writable (a VM can be put in the set from either side), yet the set only lists its VMs.
  "microsoft.compute/availabilitysets": ["properties.virtualMachines[*].id"],
};

/**
 * Read-only properties that name what the holder itself uses, so the holder depends on them
 * although the provider fills them in (the metadata would read them as mirrors). Same keys and
 * path vocabulary as `backReferences`.
 */
export const forwardReferences: Record<string, ReadonlyArray<string | RegExp>> = {
  "*": [
    // `effective…` lists say what the holder ended up using (an AKS cluster's outbound IPs).
    /(^|\.)effective[A-Z]\w*(\[|\.|$)/,
    // Outbound private links the holder makes to its targets (Search, SignalR, Web PubSub).
    /(^|\.)sharedPrivateLinkResources\[/,
    // Identities a resource was given by its provider (an AKS add-on's identity): it runs as them.
    /(^|\.)(identity|[a-z]\w*Identity)(\.|$)/,
    // A balancer's or gateway's members, listed read-only on the balancer: it depends on them
    // (the same direction as the members' own writable pool references above).
    /(^|\.)(backendIPConfigurations|backendIPConfiguration|networkInterfaceIPConfiguration)(\[|\.|$)/,
    // The private link resource a resource exposes or reaches itself through (a Cassandra
    // cluster's, a shared private link's target).
    /(^|\.)privateLinkResourceId$/,
    // Whatever runs in an App Service Environment depends on it (a certificate reports it read-only).
    /(^|\.)hostingEnvironmentProfile(\.|$)/,
    // The subnet of the endpoint behind a private endpoint connection (Machine Learning): not a
    // user of the holder; kept as the forward reference it was before the metadata.
    /(^|\.)privateEndpoint\.subnetArmId$/,
  ],
  // The DSCP configuration a NIC is linked to (which lists the NIC in turn, read-only as well).
  "microsoft.network/networkinterfaces": ["properties.dscpConfiguration.id"],
  // The load balancers a partner-managed virtual appliance was given.
  "microsoft.network/networkvirtualappliances": [/^properties\.partnerManagedResource\./],
  // A Front Door endpoint's HTTPS certificate, read from the vault its custom HTTPS names.
  "microsoft.network/frontdoors": [/(^|\.)customHttpsConfiguration\./],
  // The disk encryption set a Databricks workspace's managed disks use.
  "microsoft.databricks/workspaces": ["properties.diskEncryptionSetId"],
  // The VM an Azure Virtual Desktop session host runs on (read-only: the host pool registers it).
  "microsoft.desktopvirtualization/hostpools/sessionhosts": ["properties.resourceId"],
  // The commitment plans a Cognitive Services account is billed and provisioned through.
  "microsoft.cognitiveservices/accounts": [/^properties\.commitmentPlanAssociations\[/],
  // The NICs an endpoint or link service creates carry its traffic: it depends on them.
  "microsoft.network/privateendpoints": ["properties.networkInterfaces[*].id"],
  "microsoft.network/privatelinkservices": ["properties.networkInterfaces[*].id"],
  "microsoft.compute/cloudservices/roleinstances": [/^properties\.networkProfile\.networkInterfaces\[/],
  // Derived from the firewall's rules and policy: the IP groups it filters with.
  "microsoft.network/azurefirewalls": ["properties.ipGroups[*].id"],
  // The NAT gateway a virtual network sends default outbound traffic through.
  "microsoft.network/virtualnetworks": ["properties.defaultPublicNatGateway.id"],
  // The plan (integration service environment) a workflow runs on, reported read-only.
  "microsoft.logic/workflows": [/^properties\.sku\.plan\./],
  // A follower database reads from its leader cluster.
  "microsoft.kusto/clusters/databases": ["properties.leaderClusterResourceId"],
  // The subnet a SQL managed instance's virtual cluster is deployed into.
  "microsoft.sql/virtualclusters": ["properties.subnetId"],
  // A static web app's linked backends and APIs (managed through child resources) serve it.
  "microsoft.web/staticsites": [/^properties\.(linkedBackends|userProvidedFunctionApps|databaseConnections)\[/],
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
  {
    path: /(^|\.)(backendAddressPools|backendAddresses|backendIPConfigurations|loadBalancerBackendAddressPools|applicationGatewayBackendAddressPools|inboundNatRules|loadBalancerInboundNatRules)(\[|\.|$)/i,
    relation: "network",
  },
  { path: /(^|\.)(identityProfile|userAssignedIdentity|keyVaultReferenceIdentity)(\.|\[|$)/i, relation: "identity" },
  { path: /(^|\.)(diagnosticSettings|workspaceResourceId|logAnalyticsWorkspaceResourceID)(\.|\[|$)/i, relation: "monitoring" },
];

/**
 * Child types that are nodes even when they only appear embedded in their parent's payload
 * (docs/interfaces.md section 3: "subnets are nodes"). Other embedded children (ip configurations, rules, pools)
 * resolve to their parent.
 */
export const embeddedNodeTypes: ReadonlySet<string> = new Set(["microsoft.network/virtualnetworks/subnets"]);
