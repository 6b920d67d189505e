"""xinyong (信用): the public credit information platform (公共信用信息平台)."""
