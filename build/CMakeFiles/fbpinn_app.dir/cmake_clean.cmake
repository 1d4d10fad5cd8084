file(REMOVE_RECURSE
  "CMakeFiles/fbpinn_app.dir/app/main.cc.o"
  "CMakeFiles/fbpinn_app.dir/app/main.cc.o.d"
  "fbpinn"
  "fbpinn.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang CXX)
  include(CMakeFiles/fbpinn_app.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
