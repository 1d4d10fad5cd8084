# Empty dependencies file for fbpinn.
# This may be replaced when dependencies are built.
