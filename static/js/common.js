// parecon scripts
