# Empty dependencies file for fbpinn-example-plugin.
# This may be replaced when dependencies are built.
