# Empty dependencies file for fbpinn_app.
# This may be replaced when dependencies are built.
