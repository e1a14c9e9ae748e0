#!/bin/sh
# ipmi_sim's chassis_control hook for IpmiPowerDriverTest: stands in for the machine's power
# rail. Called as: chassis-control.sh <state-dir> get|set <parm> [<value> ...]
# (ipmi_sim appends "get|set ..." to the chassis_control line of lan.conf).
# Power state lives in <state-dir>/power (1 on, 0 off); every call is appended to
# <state-dir>/calls so that tests can see what the BMC was asked to do.
dir=$1; op=$2; shift 2
echo "$op $*" >> "$dir/calls"
case $op in
  get)
    for parm in "$@"; do
      case $parm in
        power) echo "power:$(cat "$dir/power" 2>/dev/null || echo 0)" ;;
        boot) echo "boot:default" ;;
      esac
    done ;;
  set)
    while [ $# -ge 2 ]; do
      case $1 in
        power) echo "$2" > "$dir/power" ;;
        # ACPI soft-off: the simulated OS shuts down at once, so the rail goes off.
        shutdown) [ "$2" = 1 ] && echo 0 > "$dir/power" ;;
      esac
      shift 2
    done ;;
  *) exit 1 ;;
esac
