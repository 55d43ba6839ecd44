#!/usr/bin/env bash
# mde-onboarding from a clone to a deployed app in one command (bash + Azure CLI). Idempotent: every step is a
# create-or-update, so running it again converges (an upgrade is the same command with a newer package).
#
#   infra/deploy.sh --resource-group RG --location REGION --management-group MG [options]
#
#   --mode observe|onboard|enforce  MDE_MODE and the roles' write actions (default observe: README "Rolling out")
#   --guest-checks on|off    MDE_GUEST_CHECKS and the Run Command role (default off)
#   --base-name NAME         names of the app's resources (default mdeonb); storage account name derived from it
#   --package ZIP            deploy this package (default: build it with bin/package)
#   --what-if                print the plan (every step and its command) and change nothing; calls nothing
#   --yes                    do not ask before changing anything (after Azure's what-if preview)
#
# Steps (README.md "Deploy" lists the same, in this order; a test compares them):
#   check, providers, resource-group, app, monitoring, roles, wiring-role, package, upload, doctor, admin
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

RG="" LOCATION="" MG="" MODE=observe GUEST=off BASE=mdeonb PACKAGE="" WHATIF=false YES=false
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    -g|--resource-group) RG=${2:?}; shift 2 ;;
    -l|--location) LOCATION=${2:?}; shift 2 ;;
    --management-group) MG=${2:?}; shift 2 ;;
    --mode) MODE=${2:?}; shift 2 ;;
    --guest-checks) GUEST=${2:?}; shift 2 ;;
    --base-name) BASE=${2:?}; shift 2 ;;
    --package) PACKAGE=${2:?}; shift 2 ;;
    --what-if) WHATIF=true; shift ;;
    --yes) YES=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
missing=()
[ -n "$RG" ] || missing+=(--resource-group)
[ -n "$LOCATION" ] || missing+=(--location)
[ -n "$MG" ] || missing+=(--management-group)
if [ ${#missing[@]} -gt 0 ]; then echo "deploy.sh: missing ${missing[*]} (see --help)" >&2; exit 2; fi
case "$MODE" in observe|onboard|enforce) ;; *) echo "deploy.sh: --mode is observe, onboard or enforce, not '$MODE'" >&2; exit 2 ;; esac
case "$GUEST" in on|off) ;; *) echo "deploy.sh: --guest-checks is on or off, not '$GUEST'" >&2; exit 2 ;; esac

VERSION=$(sed -n 's:.*<version>\([0-9][^<]*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -n 1)
PACKAGE=${PACKAGE:-$ROOT/functions/target/mde-onboarding-$VERSION.zip}
PROVIDERS="Microsoft.Web Microsoft.App Microsoft.Storage Microsoft.Insights Microsoft.OperationalInsights Microsoft.ManagedIdentity Microsoft.EventGrid"
MAIN_PARAMS="@$ROOT/infra/main.parameters.example.json baseName=$BASE mode=$MODE guestChecks=$GUEST eventWiring=on scopeManagementGroup=$MG"

step_n=0
# step NAME DESCRIPTION PLAN COMMAND...: prints the step and the az commands it runs; runs them unless --what-if.
step() {
  local name=$1 description=$2 plan=$3; shift 3
  step_n=$((step_n + 1))
  echo "step $step_n: $name  $description"
  while IFS= read -r line; do echo "        $line"; done <<< "$plan"
  if ! $WHATIF || [ "$name" = admin ]; then "$@"; fi
}
PRINCIPAL_TEXT='<identityPrincipalId output of main.json>'
APP_TEXT='<functionAppName output of main.json>'

out() { az deployment group show -g "$RG" -n mde-onboarding --query "properties.outputs.$1.value" -o tsv; }
value() { if $WHATIF; then echo "<$1 output of main.json>"; else out "$1"; fi; }

check() {
  local need=(az java mvn zip)
  for t in "${need[@]}"; do command -v "$t" >/dev/null || { echo "deploy.sh: '$t' is needed (README 'Tools the steps use')" >&2; exit 2; }; done
  az account show --query "{subscription: id, user: user.name}" -o tsv >/dev/null || { echo "deploy.sh: run 'az login' first" >&2; exit 2; }
}
register_providers() {
  for p in $PROVIDERS; do az provider register --namespace "$p" --wait; done
  # Event Grid in every subscription below the group (system topics need it); new ones: see README "Event wiring".
  az extension add --name resource-graph --upgrade --only-show-errors
  for sub in $(az graph query --management-groups "$MG" --first 1000 -o tsv --query "data[].subscriptionId" \
      -q "resourcecontainers | where type == 'microsoft.resources/subscriptions' | project subscriptionId"); do
    az provider register --namespace Microsoft.EventGrid --subscription "$sub"
  done
}
deploy_app() {
  # shellcheck disable=SC2086
  az deployment group what-if -g "$RG" -n mde-onboarding --template-file "$ROOT/infra/main.json" --parameters $MAIN_PARAMS
  confirm
  # shellcheck disable=SC2086
  az deployment group create -g "$RG" -n mde-onboarding --template-file "$ROOT/infra/main.json" --parameters $MAIN_PARAMS -o none
}
deploy_monitoring() {
  az deployment group create -g "$RG" -n mde-onboarding-monitoring --template-file "$ROOT/infra/monitoring.json" \
    --parameters "appInsightsName=$(out appInsightsName)" ${ALERT_EMAIL:+"alertEmail=$ALERT_EMAIL"} -o none
}
deploy_mg() {
  local name=$1 template=$2; shift 2
  az deployment mg what-if --management-group-id "$MG" -l "$LOCATION" -n "$name" --template-file "$ROOT/infra/$template" --parameters "$@"
  confirm
  az deployment mg create --management-group-id "$MG" -l "$LOCATION" -n "$name" --template-file "$ROOT/infra/$template" --parameters "$@" -o none
}
confirm() {
  if $YES; then return; fi
  read -r -p "Apply these changes? [y/N] " answer
  case "$answer" in y|Y|yes) ;; *) echo "deploy.sh: stopped; nothing after this point was changed" >&2; exit 1 ;; esac
}
build_package() { if [ ! -f "$PACKAGE" ]; then "$ROOT/bin/package"; fi; }
doctor() {
  # As you (the operator), with the app's settings as deployed: README "The command line against the deployed app".
  while IFS=$'\t' read -r n v; do export "$n=$v"; done < <(az functionapp config appsettings list -g "$RG" -n "$(out functionAppName)" \
    --query "[?starts_with(name, 'MDE_') || starts_with(name, 'AzureWebJobsStorage__')].[name, value]" -o tsv)
  unset MDE_MANAGED_IDENTITY_CLIENT_ID AzureWebJobsStorage__credential AzureWebJobsStorage__clientId
  "$ROOT/bin/mde-onboarding" doctor || echo "deploy.sh: doctor found something to fix (above); the deployment itself is done" >&2
}
admin() {
  echo
  echo "Left for a directory admin (once per tenant; needs Cloud Application Administrator or Application Administrator):"
  echo "  infra/grant-defender-api-permission.sh $(value identityPrincipalId)"
  echo "Then roll out as README.md 'Deploy' says (observe first, then onboard, then enforce: 'Rolling out')."
}

$WHATIF && echo "mde-onboarding $VERSION: the plan (--what-if: nothing is called or changed)"
step check "Azure CLI signed in; java, mvn and zip present" "az account show" check
step providers "register the resource providers the app uses, and Event Grid in every subscription below $MG" \
  "az provider register --namespace {$(echo $PROVIDERS | tr ' ' ',')} --wait
az graph query --management-groups $MG ... | az provider register --namespace Microsoft.EventGrid --subscription <each>" register_providers
step resource-group "the app's resource group $RG in $LOCATION" "az group create -n $RG -l $LOCATION" \
  az group create -n "$RG" -l "$LOCATION" -o none
step app "Function App, storage, identities, logs; Azure's what-if preview first" \
  "az deployment group what-if|create -g $RG -n mde-onboarding --template-file infra/main.json --parameters $MAIN_PARAMS" deploy_app
step monitoring "the workbook, action group and alert rules on the app's Application Insights (README 'Workbook and alerts')" \
  "az deployment group create -g $RG -n mde-onboarding-monitoring --template-file infra/monitoring.json --parameters appInsightsName=<appInsightsName output of main.json> [alertEmail=\$ALERT_EMAIL]" \
  deploy_monitoring
step roles "the onboarding roles at $MG ($MODE, guest checks $GUEST)" \
  "az deployment mg what-if|create --management-group-id $MG -n mde-onboarding-roles --template-file infra/roles-management-group.json --parameters principalId=$PRINCIPAL_TEXT mode=$MODE guestChecks=$GUEST" \
  deploy_mg mde-onboarding-roles roles-management-group.json "principalId=$(value identityPrincipalId)" "mode=$MODE" "guestChecks=$GUEST"
step wiring-role "the event wiring role at $MG" \
  "az deployment mg what-if|create --management-group-id $MG -n mde-onboarding-wiring-role --template-file infra/roles-wiring-management-group.json --parameters principalId=$PRINCIPAL_TEXT" \
  deploy_mg mde-onboarding-wiring-role roles-wiring-management-group.json "principalId=$(value identityPrincipalId)"
step package "the release package $(basename "$PACKAGE")" "bin/package   (only when $PACKAGE is missing)" build_package
step upload "zip deploy of the package to the Function App" \
  "az functionapp deployment source config-zip -g $RG -n $APP_TEXT --src $PACKAGE" \
  az functionapp deployment source config-zip -g "$RG" -n "$(value functionAppName)" --src "$PACKAGE" -o none
step doctor "the checklist against the deployed settings, as you" "bin/mde-onboarding doctor" doctor
step admin "what is left to a directory admin" "infra/grant-defender-api-permission.sh $PRINCIPAL_TEXT" admin
