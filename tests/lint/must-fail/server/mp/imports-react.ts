// expect: server code never imports React
import React from 'react';
export const x = React;
