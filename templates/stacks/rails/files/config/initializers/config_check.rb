# Checks the configuration at boot and stops with a clear message, rather than
# starting and answering 500 (lib/config_check.rb).
ConfigCheck.run!
